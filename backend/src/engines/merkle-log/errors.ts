/**
 * Typed errors of the merkle-log engine. Each names the offending input so a
 * caller (API, CLI) can report it without guessing. Verification findings
 * about tampering are NOT errors: they come back as a `VerificationProblem`.
 */
export abstract class MerkleLogError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A value cannot be written as RFC 8785 canonical JSON (path names where). */
export class CanonicalJsonError extends MerkleLogError {
  readonly code = 'canonical_json';

  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** An audit event is not well formed (missing field, bad timestamp, bad seq). */
export class AuditEventError extends MerkleLogError {
  readonly code = 'audit_event';
}

/** A proof or root was asked for sizes/indices the tree cannot answer. */
export class ProofRequestError extends MerkleLogError {
  readonly code = 'proof_request';
}

/** The hash store lacks a node the tree needs (store incomplete or wrong size). */
export class MissingNodeError extends MerkleLogError {
  readonly code = 'missing_node';

  constructor(
    readonly level: number,
    readonly index: number,
  ) {
    super(`hash store has no node at level ${level}, index ${index}`);
  }
}

/** The hash store was asked to overwrite a node with a different hash. */
export class NodeConflictError extends MerkleLogError {
  readonly code = 'node_conflict';
}

/** A leaf hash handed to the tree is not 32 bytes. */
export class LeafHashError extends MerkleLogError {
  readonly code = 'leaf_hash';
}

/** A checkpoint or signed note does not follow the text format. */
export class CheckpointFormatError extends MerkleLogError {
  readonly code = 'checkpoint_format';
}

/** A PEM key is unreadable or not an Ed25519 key. */
export class CheckpointKeyError extends MerkleLogError {
  readonly code = 'checkpoint_key';
}

/** No valid signature by the given key (and origin) on a signed checkpoint. */
export class CheckpointSignatureError extends MerkleLogError {
  readonly code = 'checkpoint_signature';
}

/** An export cannot be built from the given events and checkpoints. */
export class ExportBuildError extends MerkleLogError {
  readonly code = 'export_build';
}
