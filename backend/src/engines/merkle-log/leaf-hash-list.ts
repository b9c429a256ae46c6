import { HASH_BYTES } from './tree-hash';

/**
 * A growable list of 32-byte hashes in one buffer (32 MB per million, where
 * a million separate Buffers would cost several times that). Positions may
 * stay unknown: an export verifier only learns the leaves its proofs cover.
 */
export class LeafHashList {
  private bytes = Buffer.alloc(HASH_BYTES * 1024);
  private known = new Uint8Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Appends a hash, or an unknown position when `hash` is undefined. */
  push(hash: Uint8Array | undefined): void {
    this.set(this.count, hash);
  }

  /** Sets position `index`, growing the list (with unknown positions) as needed. */
  set(index: number, hash: Uint8Array | undefined): void {
    this.reserve(index + 1);
    if (hash !== undefined && hash.length === HASH_BYTES) {
      this.bytes.set(hash, index * HASH_BYTES);
      this.known[index] = 1;
    } else {
      this.known[index] = 0;
    }
    this.count = Math.max(this.count, index + 1);
  }

  /** The hash at `index` (a view, valid until the next write), or undefined if unknown. */
  get(index: number): Buffer | undefined {
    if (index < 0 || index >= this.count || this.known[index] === 0) return undefined;
    return this.bytes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /** First position at or after `from` holding `hash`, or -1. */
  indexOf(hash: Uint8Array, from: number): number {
    for (let i = Math.max(0, from); i < this.count; i++) {
      if (this.known[i] === 1 && this.bytes.compare(hash, 0, HASH_BYTES, i * HASH_BYTES, (i + 1) * HASH_BYTES) === 0) return i;
    }
    return -1;
  }

  private reserve(length: number): void {
    if (length <= this.known.length) return;
    let capacity = this.known.length;
    while (capacity < length) capacity *= 2;
    const bytes = Buffer.alloc(capacity * HASH_BYTES);
    this.bytes.copy(bytes);
    const known = new Uint8Array(capacity);
    known.set(this.known);
    this.bytes = bytes;
    this.known = known;
  }
}
