import { MissingNodeError, NodeConflictError } from './errors';
import { HASH_BYTES } from './tree-hash';
import type { NodeId } from './tree-ranges';

export interface StoredNode extends NodeId {
  hash: Buffer;
}

/**
 * Where the tree keeps the hash of every complete subtree (level 0 = leaf
 * hashes). Nodes are written once, when their subtree completes, and never
 * change, so a proof at any past tree size reads the same rows. Calls are
 * batched so a database-backed store answers a whole proof (about 2·log2(n)
 * nodes) in one round trip.
 */
export interface HashStore {
  /** Hashes of `nodes`, in the same order; rejects with MissingNodeError if one is absent. */
  get(nodes: readonly NodeId[]): Promise<Buffer[]>;
  /** Records nodes. Re-putting an identical hash is allowed; a different one is refused. */
  put(nodes: readonly StoredNode[]): Promise<void>;
}

/**
 * HashStore in memory: one contiguous buffer per level (32 bytes per node),
 * about 64 MB for a million leaves. Nodes of a level must arrive in index
 * order, which is how MerkleLog appends them.
 */
export class InMemoryHashStore implements HashStore {
  private readonly levels: { bytes: Buffer; count: number }[] = [];

  async get(nodes: readonly NodeId[]): Promise<Buffer[]> {
    return nodes.map((node) => this.read(node));
  }

  async put(nodes: readonly StoredNode[]): Promise<void> {
    for (const node of nodes) this.write(node);
  }

  private read({ level, index }: NodeId): Buffer {
    const row = this.levels[level];
    if (!row || !Number.isInteger(index) || index < 0 || index >= row.count) throw new MissingNodeError(level, index);
    return Buffer.from(row.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES));
  }

  private write({ level, index, hash }: StoredNode): void {
    if (hash.length !== HASH_BYTES) throw new NodeConflictError(`node ${level}/${index}: hash must be ${HASH_BYTES} bytes`);
    const row = (this.levels[level] ??= { bytes: Buffer.alloc(HASH_BYTES * 1024), count: 0 });
    if (index < row.count) {
      if (!this.read({ level, index }).equals(hash)) {
        throw new NodeConflictError(`node ${level}/${index} already holds a different hash (nodes never change)`);
      }
      return;
    }
    if (index !== row.count) {
      throw new NodeConflictError(`node ${level}/${index} arrives before node ${level}/${row.count}`);
    }
    if ((index + 1) * HASH_BYTES > row.bytes.length) {
      const grown = Buffer.alloc(row.bytes.length * 2);
      row.bytes.copy(grown);
      row.bytes = grown;
    }
    hash.copy(row.bytes, index * HASH_BYTES);
    row.count += 1;
  }
}
