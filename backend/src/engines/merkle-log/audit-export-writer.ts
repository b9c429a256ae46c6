import { type AuditEvent, auditEventLeafHash, requireSeq } from './audit-event';
import type { Checkpoint } from './checkpoint';
import { openSignedCheckpoint } from './checkpoint-signing';
import { AuditEventError, ExportBuildError, MerkleLogError } from './errors';
import { EXPORT_FORMAT, type ExportRecord } from './export-format';
import type { MerkleLog } from './merkle-log';

export interface AuditExportRequest {
  origin: string;
  /** Used to check each checkpoint before it goes out. */
  publicKeyPem: string;
  /** Signed notes; one must have treeSize = proofTreeSize. */
  checkpoints: readonly string[];
  firstSeq: number;
  lastSeq: number;
  /** The checkpoint the inclusion proofs target: any signed size >= lastSeq (default lastSeq). */
  proofTreeSize?: number;
  /** Events firstSeq..lastSeq in seq order (e.g. streamed from Postgres). */
  events: Iterable<AuditEvent> | AsyncIterable<AuditEvent>;
}

const PROOF_BATCH = 256;

/**
 * Yields the export's lines (without newlines). Inclusion proofs target the
 * checkpoint of size proofTreeSize (the header names it), so any event of the range dropped or altered is detectable;
 * they are read in batches, neighbours sharing most of their nodes.
 * Events are exported as stored: a tampered row leaves the export and is
 * then named by verifyExport, rather than being hidden here.
 */
export async function* writeAuditExport(log: MerkleLog, request: AuditExportRequest): AsyncGenerator<string> {
  const { origin, firstSeq, lastSeq, proofTreeSize = request.lastSeq } = request;
  if (!Number.isSafeInteger(firstSeq) || !Number.isSafeInteger(lastSeq) || firstSeq < 1 || lastSeq < firstSeq) {
    throw new ExportBuildError(`invalid seq range ${firstSeq}..${lastSeq}`);
  }
  if (!Number.isSafeInteger(proofTreeSize) || proofTreeSize < lastSeq) throw new ExportBuildError(`proof tree size ${proofTreeSize} is before the last seq ${lastSeq}`);
  const checkpoints = await openMatchingCheckpoints(log, request);
  if (!checkpoints.some(({ checkpoint }) => checkpoint.treeSize === proofTreeSize)) {
    throw new ExportBuildError(`no checkpoint of tree size ${proofTreeSize} (the export's proof tree size) was given`);
  }

  yield line({ type: 'header', format: EXPORT_FORMAT, origin, firstSeq, lastSeq, proofTreeSize });
  for (const { note } of checkpoints) yield line({ type: 'checkpoint', note });
  for (let i = 1; i < checkpoints.length; i++) {
    const fromSize = checkpoints[i - 1].checkpoint.treeSize;
    const toSize = checkpoints[i].checkpoint.treeSize;
    const proof = await log.consistencyProof(fromSize, toSize);
    yield line({ type: 'consistency', fromSize, toSize, proof: proof.map(base64) });
  }

  let nextSeq = firstSeq;
  let batch: AuditEvent[] = [];
  const flush = async function* () {
    const proofs = await log.inclusionProofs(batch.map((event) => event.seq - 1), proofTreeSize);
    for (const [i, event] of batch.entries()) {
      const { seq, at, actor, action, subjectType, subjectId, body } = event;
      yield line({
        type: 'event',
        seq,
        event: { at: at instanceof Date ? at.toISOString() : at, actor, action, subjectType, subjectId, body },
        leafHash: leafHashOrEmpty(event),
        inclusionProof: proofs[i].map(base64),
      });
    }
    batch = [];
  };
  for await (const event of request.events) {
    if (requireSeq(event.seq) !== nextSeq) throw new ExportBuildError(`expected event seq ${nextSeq}, got ${event.seq}`);
    if (nextSeq > lastSeq) throw new ExportBuildError(`event seq ${nextSeq} is past the export's last seq ${lastSeq}`);
    batch.push(event);
    nextSeq += 1;
    if (batch.length === PROOF_BATCH) yield* flush();
  }
  if (batch.length > 0) yield* flush();
  if (nextSeq !== lastSeq + 1) throw new ExportBuildError(`events stopped at seq ${nextSeq - 1}, before the last seq ${lastSeq}`);
}

/** Verified checkpoints, ascending, each checked against this log's own root at its size. */
async function openMatchingCheckpoints(
  log: MerkleLog,
  { checkpoints, publicKeyPem, origin }: AuditExportRequest,
): Promise<{ note: string; checkpoint: Checkpoint }[]> {
  const opened = checkpoints.map((note, i) => {
    try {
      return { note, checkpoint: openSignedCheckpoint(note, publicKeyPem, origin) };
    } catch (error) {
      if (error instanceof MerkleLogError) throw new ExportBuildError(`checkpoint #${i + 1}: ${error.message}`);
      throw error;
    }
  });
  for (const { checkpoint } of opened) {
    if (checkpoint.treeSize > log.size || !(await log.rootAt(checkpoint.treeSize)).equals(checkpoint.rootHash)) {
      throw new ExportBuildError(`checkpoint of size ${checkpoint.treeSize} does not match this log`);
    }
  }
  return opened.sort((a, b) => a.checkpoint.treeSize - b.checkpoint.treeSize);
}

const base64 = (hash: Buffer) => hash.toString('base64');

/** A row too damaged to encode still goes out (with no hash) so the verifier names it. */
function leafHashOrEmpty(event: AuditEvent): string {
  try {
    return base64(auditEventLeafHash(event));
  } catch (error) {
    if (error instanceof AuditEventError) return '';
    throw error;
  }
}
const line = (record: ExportRecord) => JSON.stringify(record);
