import { EMPTY_TREE_ROOT, HASH_BYTES, hashChildren } from './tree-hash';
import { isPowerOfTwo } from './tree-ranges';

/**
 * Proof verifiers written step for step after RFC 9162 §2.1.3.2 and
 * §2.1.4.2. They never throw: any malformed input simply fails to verify.
 * Bit shifts are spelled as halving so indices above 2^31 stay exact.
 */

const isHash = (h: Uint8Array) => h instanceof Uint8Array && h.length === HASH_BYTES;
const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The root an audit path leads to, or null when the path does not fit the tree shape. */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
): Buffer | null {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return null;
  if (leafIndex < 0 || leafIndex >= treeSize || !isHash(leafHash) || !path.every(isHash)) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of path) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
  rootHash: Uint8Array,
): boolean {
  const root = rootFromInclusionProof(leafIndex, treeSize, leafHash, path);
  return root !== null && isHash(rootHash) && root.equals(rootHash);
}

/**
 * Checks that the tree of `toSize` leaves with root `toRoot` extends the tree
 * of `fromSize` leaves with root `fromRoot`. Equal sizes need an empty proof
 * and equal roots; every tree extends the empty tree (empty proof).
 */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize)) return false;
  if (fromSize < 0 || fromSize > toSize || !isHash(fromRoot) || !isHash(toRoot) || !path.every(isHash)) return false;
  if (fromSize === toSize) return path.length === 0 && Buffer.from(fromRoot).equals(toRoot);
  if (fromSize === 0) return path.length === 0 && EMPTY_TREE_ROOT.equals(fromRoot);
  if (path.length === 0) return false;

  const proof = isPowerOfTwo(fromSize) ? [fromRoot, ...path] : path;
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(proof[0]);
  let sr: Buffer = Buffer.from(proof[0]);
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}
