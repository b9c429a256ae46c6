/**
 * Rate-1/3 convolutional code, constraint length 9 (generators 557, 663, 711
 * octal, the IS-95 code), zero-terminated, with soft-decision Viterbi decoding.
 * Soft decoding matters here: the detector's per-bit evidence varies a lot
 * between bits, and a hard decision would throw that away.
 */
const CONSTRAINT = 9;
const MEMORY = CONSTRAINT - 1;
const STATES = 1 << MEMORY;
const GENERATORS = [0o557, 0o663, 0o711];
export const CODE_RATE_INVERSE = GENERATORS.length;

function parity(x: number): number {
  x ^= x >> 16;
  x ^= x >> 8;
  x ^= x >> 4;
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1;
}

/** outputs[(state << 1) | bit] holds the 3 output bits (as a 3-bit number) for that transition. */
const OUTPUTS = (() => {
  const table = new Uint8Array(STATES * 2);
  for (let state = 0; state < STATES; state++) {
    for (let bit = 0; bit < 2; bit++) {
      const register = (bit << MEMORY) | state;
      let out = 0;
      GENERATORS.forEach((g, k) => (out |= parity(register & g) << k));
      table[(state << 1) | bit] = out;
    }
  }
  return table;
})();

export function codedLength(infoBits: number): number {
  return (infoBits + MEMORY) * CODE_RATE_INVERSE;
}

/** `bits` holds 0/1 values; returns the coded 0/1 sequence including the tail. */
export function convolutionalEncode(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(codedLength(bits.length));
  let state = 0;
  for (let i = 0; i < bits.length + MEMORY; i++) {
    const bit = i < bits.length ? bits[i] & 1 : 0;
    const symbols = OUTPUTS[(state << 1) | bit];
    for (let k = 0; k < CODE_RATE_INVERSE; k++) out[i * CODE_RATE_INVERSE + k] = (symbols >> k) & 1;
    state = ((bit << MEMORY) | state) >> 1;
  }
  return out;
}

/**
 * The `listSize` most likely information sequences for `soft` (positive
 * favours 1, the magnitude is the reliability), best first, assuming the zero
 * tail: a parallel list Viterbi decoder keeping the best `listSize` partial
 * paths into every state. The caller picks the first that passes its check
 * code, which recovers words a single decision misses (each extra candidate
 * costs the check code one more chance of a false match).
 */
export function listViterbiDecode(soft: Float32Array | Float64Array, infoBits: number, listSize: number): Uint8Array[] {
  const steps = infoBits + MEMORY;
  if (soft.length !== steps * CODE_RATE_INVERSE) throw new RangeError(`expected ${steps * CODE_RATE_INVERSE} soft values, got ${soft.length}`);
  const L = listSize;
  // metric[state * L + rank], sorted descending per state.
  let metric = new Float64Array(STATES * L).fill(-Infinity);
  let next = new Float64Array(STATES * L);
  metric[0] = 0;
  // For every step, state and rank: the predecessor's low bit and rank.
  const fromBit = new Uint8Array(steps * STATES * L);
  const fromRank = new Uint16Array(steps * STATES * L);
  const branch = new Float64Array(8);
  for (let t = 0; t < steps; t++) {
    for (let out = 0; out < 8; out++) {
      let m = 0;
      for (let k = 0; k < CODE_RATE_INVERSE; k++) m += (out >> k) & 1 ? soft[t * 3 + k] : -soft[t * 3 + k];
      branch[out] = m;
    }
    const inputLimit = t < infoBits ? 1 : 0;
    for (let to = 0; to < STATES; to++) {
      const bit = to >> (MEMORY - 1);
      const at = (t * STATES + to) * L;
      if (bit > inputLimit) {
        next.fill(-Infinity, to * L, to * L + L);
        continue;
      }
      // The two predecessors differ in the bit that leaves the register; merge their sorted lists.
      const p0 = (to << 1) & (STATES - 1);
      const p1 = p0 | 1;
      const b0 = branch[OUTPUTS[(p0 << 1) | bit]];
      const b1 = branch[OUTPUTS[(p1 << 1) | bit]];
      let i0 = 0;
      let i1 = 0;
      for (let r = 0; r < L; r++) {
        const m0 = i0 < L ? metric[p0 * L + i0] + b0 : -Infinity;
        const m1 = i1 < L ? metric[p1 * L + i1] + b1 : -Infinity;
        if (m0 >= m1) {
          next[to * L + r] = m0;
          fromBit[at + r] = 0;
          fromRank[at + r] = i0++;
        } else {
          next[to * L + r] = m1;
          fromBit[at + r] = 1;
          fromRank[at + r] = i1++;
        }
      }
    }
    [metric, next] = [next, metric];
  }
  const words: Uint8Array[] = [];
  for (let rank = 0; rank < L && metric[rank] > -Infinity; rank++) {
    const bits = new Uint8Array(infoBits);
    let state = 0;
    let r = rank;
    for (let t = steps - 1; t >= 0; t--) {
      if (t < infoBits) bits[t] = state >> (MEMORY - 1);
      const at = (t * STATES + state) * L + r;
      r = fromRank[at];
      state = ((state << 1) & (STATES - 1)) | fromBit[at];
    }
    words.push(bits);
  }
  return words;
}
