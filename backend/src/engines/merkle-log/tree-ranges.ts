/**
 * The shape of RFC 9162 trees as plain arithmetic: which leaf ranges make up
 * an audit path or a consistency proof, and which complete subtrees make up
 * a range. Division instead of bit shifts keeps it exact beyond 2^31 leaves.
 */

/** A complete (perfect) subtree: leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  level: number;
  index: number;
}

/** Leaves [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

/** Largest power of two strictly below n (n ≥ 2): the RFC's split point k. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return largestPowerOfTwoBelow(n + 1) === n;
}

/**
 * Complete subtrees covering [start, end), left to right. For every range the
 * RFC recursion produces (and for any [0, n)) the MTH of the range is the
 * right fold hashChildren(s1, hashChildren(s2, … sN)) of these subtrees.
 */
export function perfectSubtrees(range: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let start = range.start;
  while (start < range.end) {
    let width = 1;
    let level = 0;
    while (start % (width * 2) === 0 && start + width * 2 <= range.end) {
      width *= 2;
      level += 1;
    }
    nodes.push({ level, index: start / width });
    start += width;
  }
  return nodes;
}

/**
 * PATH(m, D[n]) of RFC 9162 §2.1.3.1 as the ranges whose MTH form the audit
 * path, in proof order (the leaf's sibling first, the root's child last).
 */
export function inclusionPathRanges(leafIndex: number, treeSize: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (leafIndex < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

/**
 * PROOF(m, D[n]) of RFC 9162 §2.1.4.1 (0 < m < n) as ranges in proof order.
 * SUBPROOF's flag `b` is `wholeOldTreeKnown`: it stays true while the old
 * tree is the left edge of the current range, so its root need not be sent.
 */
export function consistencyPathRanges(fromSize: number, toSize: number): LeafRange[] {
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = toSize;
  let m = fromSize;
  let wholeOldTreeKnown = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      m -= k;
      wholeOldTreeKnown = false;
    }
  }
  if (!wholeOldTreeKnown) ranges.push({ start, end });
  return ranges.reverse();
}
