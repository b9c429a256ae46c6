/** One entry of the tamper-evident audit log. `seq` is its 1-based position in the Merkle tree. */
export interface AuditEventDto {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  body: Record<string, unknown>;
}

export type AuditProblemKind = 'altered' | 'removed' | 'inserted' | 'reordered' | 'bad-signature' | 'bad-proof' | 'malformed';

/** Result of recomputing the log (GET /api/v1/audit/verify, `provenant audit verify`). */
export interface AuditVerificationDto {
  ok: boolean;
  checkedEvents: number;
  signedTreeSize: number;
  firstProblem?: { seq: number | null; kind: AuditProblemKind; message: string };
}

export interface AuditCheckpointDto {
  treeSize: number;
  rootHash: string;
  /** C2SP signed note: body lines, blank line, Ed25519 signature line. */
  signedNote: string;
}

export interface InclusionProofDto {
  seq: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  /** Audit path, hex, leaf to root (RFC 9162 §2.1.3). */
  path: string[];
  checkpoint: AuditCheckpointDto;
}

export interface ConsistencyProofDto {
  fromSize: number;
  toSize: number;
  path: string[];
  from: AuditCheckpointDto;
  to: AuditCheckpointDto;
}
