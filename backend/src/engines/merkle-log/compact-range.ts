import type { HashStore, StoredNode } from './hash-store';
import { EMPTY_TREE_ROOT, hashChildren } from './tree-hash';
import { perfectSubtrees } from './tree-ranges';

/**
 * The right edge of a tree of `size` leaves: the hashes of the complete
 * subtrees covering [0, size), largest first (one per set bit of size).
 * Enough to append in O(log n) and to compute the root without any store.
 */
export class CompactRange {
  private constructor(
    private treeSize: number,
    private readonly frontier: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Rebuilds the edge of a stored tree from at most log2(size)+1 nodes. */
  static async load(store: HashStore, size: number): Promise<CompactRange> {
    const hashes = await store.get(perfectSubtrees({ start: 0, end: size }));
    return new CompactRange(size, hashes);
  }

  get size(): number {
    return this.treeSize;
  }

  clone(): CompactRange {
    return new CompactRange(this.treeSize, [...this.frontier]);
  }

  /** Adds a leaf; `onNode` receives the leaf and every subtree it completes. */
  append(leafHash: Buffer, onNode?: (node: StoredNode) => void): void {
    let hash = leafHash;
    let level = 0;
    let index = this.treeSize;
    onNode?.({ level, index, hash });
    // An odd index is a right child: its left sibling is the last edge hash.
    while (index % 2 === 1) {
      hash = hashChildren(this.frontier.pop()!, hash);
      level += 1;
      index = Math.floor(index / 2);
      onNode?.({ level, index, hash });
    }
    this.frontier.push(hash);
    this.treeSize += 1;
  }

  /** MTH of the leaves so far. */
  root(): Buffer {
    if (this.frontier.length === 0) return EMPTY_TREE_ROOT;
    let root = this.frontier[this.frontier.length - 1];
    for (let i = this.frontier.length - 2; i >= 0; i--) root = hashChildren(this.frontier[i], root);
    return root;
  }
}
