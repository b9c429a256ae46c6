import { CheckpointFormatError } from './errors';
import { HASH_BYTES } from './tree-hash';

/** A signed statement "the log `origin` had `treeSize` entries with root `rootHash` at `timestamp`". */
export interface Checkpoint {
  /** Names the log and the signing key (C2SP key-name rules: no spaces, no '+'). */
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  /** RFC 3339 UTC with milliseconds, e.g. 2025-01-01T12:00:00.000Z. */
  timestamp: string;
}

const ORIGIN = /^[^\s+]+$/u;
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const BASE64_HASH = /^[A-Za-z0-9+/]{43}=$/;
const TIMESTAMP_LINE = /^timestamp (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/;

/**
 * The checkpoint body in the C2SP tlog-checkpoint layout: origin, decimal
 * tree size, base64 root hash, then one extension line carrying the time.
 * Every line ends with a newline; this exact text is what gets signed.
 */
export function formatCheckpointBody(checkpoint: Checkpoint): string {
  assertCheckpoint(checkpoint);
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${checkpoint.rootHash.toString('base64')}\ntimestamp ${checkpoint.timestamp}\n`;
}

export function parseCheckpointBody(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw new CheckpointFormatError('checkpoint body must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length !== 4) throw new CheckpointFormatError(`checkpoint body must have 4 lines, found ${lines.length}`);
  const [origin, size, root, stamp] = lines;
  if (!DECIMAL.test(size)) throw new CheckpointFormatError(`tree size line is not a decimal number: ${JSON.stringify(size)}`);
  if (!BASE64_HASH.test(root)) throw new CheckpointFormatError('root hash line is not a base64 SHA-256 hash');
  const timestamp = TIMESTAMP_LINE.exec(stamp)?.[1];
  if (!timestamp) throw new CheckpointFormatError(`timestamp line is malformed: ${JSON.stringify(stamp)}`);
  const checkpoint = { origin, treeSize: Number(size), rootHash: Buffer.from(root, 'base64'), timestamp };
  assertCheckpoint(checkpoint);
  return checkpoint;
}

function assertCheckpoint({ origin, treeSize, rootHash, timestamp }: Checkpoint): void {
  if (!ORIGIN.test(origin)) throw new CheckpointFormatError(`origin must be non-empty without spaces or '+': ${JSON.stringify(origin)}`);
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new CheckpointFormatError(`tree size must be a non-negative integer: ${treeSize}`);
  if (!Buffer.isBuffer(rootHash) || rootHash.length !== HASH_BYTES) throw new CheckpointFormatError(`root hash must be ${HASH_BYTES} bytes`);
  if (!TIMESTAMP_LINE.test(`timestamp ${timestamp}`) || Number.isNaN(Date.parse(timestamp)) || new Date(timestamp).toISOString() !== timestamp) {
    throw new CheckpointFormatError(`timestamp must be RFC 3339 UTC with milliseconds: ${JSON.stringify(timestamp)}`);
  }
}
