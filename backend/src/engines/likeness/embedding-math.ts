/** L2-normalises in place and returns `v`; throws on a zero or non-finite vector. */
export function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const n = Math.sqrt(sum);
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError('cannot normalise a zero or non-finite embedding');
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** Cosine distance (1 − cosine similarity), 0 to 2. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`embeddings differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (!(na > 0) || !(nb > 0)) throw new RangeError('cosine distance of a zero embedding');
  return Math.max(0, 1 - dot / Math.sqrt(na * nb));
}
