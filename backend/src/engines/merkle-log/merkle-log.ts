import { CompactRange } from './compact-range';
import { LeafHashError, ProofRequestError } from './errors';
import type { HashStore, StoredNode } from './hash-store';
import { EMPTY_TREE_ROOT, HASH_BYTES, hashChildren } from './tree-hash';
import {
  type LeafRange,
  type NodeId,
  consistencyPathRanges,
  inclusionPathRanges,
  perfectSubtrees,
} from './tree-ranges';

/**
 * An append-only RFC 9162 Merkle tree over a HashStore. Appending costs
 * O(log n) hashes and writes; roots and proofs for any past size are read
 * from stored complete subtrees (one batched `get` per call, about 2·log2(n)
 * nodes), never recomputed from leaves.
 *
 * One instance assumes it is the only writer. Processes sharing a store must
 * serialise appends themselves (e.g. a row lock) and `open` the log afresh
 * inside that lock, since another writer may have moved the size on.
 */
export class MerkleLog {
  private appending: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: HashStore,
    private range: CompactRange,
  ) {}

  /** Opens a stored tree of `size` leaves (0 for a new log). */
  static async open(store: HashStore, size: number): Promise<MerkleLog> {
    if (!Number.isSafeInteger(size) || size < 0) throw new ProofRequestError(`tree size must be a non-negative integer, got ${size}`);
    return new MerkleLog(store, await CompactRange.load(store, size));
  }

  get size(): number {
    return this.range.size;
  }

  rootHash(): Buffer {
    return this.range.root();
  }

  /**
   * Appends leaf hashes and stores every node they complete in one `put`.
   * The in-memory edge only advances once the store accepted the nodes.
   * Concurrent calls on one instance run one after the other.
   */
  async append(leafHashes: readonly Buffer[]): Promise<{ treeSize: number; rootHash: Buffer }> {
    leafHashes.forEach((hash, i) => {
      if (!Buffer.isBuffer(hash) || hash.length !== HASH_BYTES) {
        throw new LeafHashError(`leaf hash #${i} must be a ${HASH_BYTES}-byte Buffer`);
      }
    });
    const run = this.appending.then(async () => {
      const next = this.range.clone();
      const nodes: StoredNode[] = [];
      for (const hash of leafHashes) next.append(hash, (node) => nodes.push(node));
      await this.store.put(nodes);
      this.range = next;
      return { treeSize: next.size, rootHash: next.root() };
    });
    this.appending = run.catch(() => undefined);
    return run;
  }

  /** MTH of the first `treeSize` leaves. */
  async rootAt(treeSize: number): Promise<Buffer> {
    this.checkSize(treeSize, 0);
    const [root] = await this.rangeHashes([{ start: 0, end: treeSize }]);
    return root;
  }

  /** Stored leaf hashes of leaves [start, end). */
  async leafHashes(start: number, end: number): Promise<Buffer[]> {
    this.checkSize(end, 0);
    if (!Number.isSafeInteger(start) || start < 0 || start > end) {
      throw new ProofRequestError(`leaf range [${start}, ${end}) is not within the tree`);
    }
    return this.store.get(Array.from({ length: end - start }, (_, i) => ({ level: 0, index: start + i })));
  }

  async inclusionProof(leafIndex: number, treeSize: number = this.size): Promise<Buffer[]> {
    const [proof] = await this.inclusionProofs([leafIndex], treeSize);
    return proof;
  }

  /** Audit paths for several leaves against one tree size, sharing one store read. */
  async inclusionProofs(leafIndices: readonly number[], treeSize: number = this.size): Promise<Buffer[][]> {
    this.checkSize(treeSize, 1);
    const paths = leafIndices.map((leafIndex) => {
      if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
        throw new ProofRequestError(`leaf index ${leafIndex} is not in a tree of ${treeSize} leaves`);
      }
      return inclusionPathRanges(leafIndex, treeSize);
    });
    const hashes = await this.rangeHashes(paths.flat());
    let offset = 0;
    return paths.map((path) => hashes.slice(offset, (offset += path.length)));
  }

  /** Proof that the tree at `toSize` extends the tree at `fromSize`. */
  async consistencyProof(fromSize: number, toSize: number = this.size): Promise<Buffer[]> {
    this.checkSize(toSize, 0);
    if (!Number.isSafeInteger(fromSize) || fromSize < 0 || fromSize > toSize) {
      throw new ProofRequestError(`cannot prove size ${fromSize} against size ${toSize}`);
    }
    if (fromSize === 0 || fromSize === toSize) return [];
    return this.rangeHashes(consistencyPathRanges(fromSize, toSize));
  }

  private checkSize(treeSize: number, min: number): void {
    if (!Number.isSafeInteger(treeSize) || treeSize < min || treeSize > this.size) {
      throw new ProofRequestError(`tree size ${treeSize} is not between ${min} and the log size ${this.size}`);
    }
  }

  /** MTH of each range, from its complete subtrees, all read in one batch. */
  private async rangeHashes(ranges: readonly LeafRange[]): Promise<Buffer[]> {
    const layouts = ranges.map(perfectSubtrees);
    const wanted = new Map<string, NodeId>();
    for (const node of layouts.flat()) wanted.set(nodeKey(node), node);
    const ids = [...wanted.values()];
    const fetched = await this.store.get(ids);
    const byKey = new Map(ids.map((node, i) => [nodeKey(node), fetched[i]]));
    return layouts.map((nodes) => {
      if (nodes.length === 0) return EMPTY_TREE_ROOT;
      let hash = byKey.get(nodeKey(nodes[nodes.length - 1]))!;
      for (let i = nodes.length - 2; i >= 0; i--) hash = hashChildren(byKey.get(nodeKey(nodes[i]))!, hash);
      return hash;
    });
  }
}

const nodeKey = (node: NodeId) => `${node.level}/${node.index}`;
