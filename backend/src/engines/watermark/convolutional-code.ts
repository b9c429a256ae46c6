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
 * Maximum-likelihood information bits for `soft` (positive favours 1, the
 * magnitude is the reliability), assuming the zero tail.
 */
export function viterbiDecode(soft: Float32Array | Float64Array, infoBits: number): Uint8Array {
  const steps = infoBits + MEMORY;
  if (soft.length !== steps * CODE_RATE_INVERSE) throw new RangeError(`expected ${steps * CODE_RATE_INVERSE} soft values, got ${soft.length}`);
  let metric = new Float64Array(STATES).fill(-Infinity);
  let next = new Float64Array(STATES);
  metric[0] = 0;
  const decisions = new Uint8Array(steps * STATES);
  const branch = new Float64Array(8);
  for (let t = 0; t < steps; t++) {
    for (let out = 0; out < 8; out++) {
      let m = 0;
      for (let k = 0; k < CODE_RATE_INVERSE; k++) m += (out >> k) & 1 ? soft[t * 3 + k] : -soft[t * 3 + k];
      branch[out] = m;
    }
    next.fill(-Infinity);
    const allowOne = t < infoBits;
    for (let state = 0; state < STATES; state++) {
      const base = metric[state];
      if (base === -Infinity) continue;
      for (let bit = 0; bit <= (allowOne ? 1 : 0); bit++) {
        const to = ((bit << MEMORY) | state) >> 1;
        const candidate = base + branch[OUTPUTS[(state << 1) | bit]];
        if (candidate > next[to]) {
          next[to] = candidate;
          // The predecessor is identified by the bit that leaves the register.
          decisions[t * STATES + to] = state & 1;
        }
      }
    }
    [metric, next] = [next, metric];
  }
  const bits = new Uint8Array(infoBits);
  let state = 0;
  for (let t = steps - 1; t >= 0; t--) {
    const input = state >> (MEMORY - 1);
    if (t < infoBits) bits[t] = input;
    state = ((state << 1) & (STATES - 1)) | decisions[t * STATES + state];
  }
  return bits;
}
