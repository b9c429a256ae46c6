import { createHash } from 'node:crypto';

/** RFC 6962/9162 hashing with SHA-256 and domain separation of leaves from nodes. */
export const HASH_BYTES = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH of the empty tree: SHA-256 of the empty string. */
export const EMPTY_TREE_ROOT: Buffer = createHash('sha256').digest();

/** Leaf hash: SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** Interior node hash: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}
