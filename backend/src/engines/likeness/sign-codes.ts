/**
 * Sign-bit codes for the coarse pass of TemplateIndex (random-hyperplane LSH,
 * "SimHash"): a vector is rotated by a fixed pseudo-random orthogonal
 * transform (three rounds of random ±1 signs and a fast Walsh–Hadamard
 * transform, HD₃HD₂HD₁) and only the signs of the rotated coordinates are
 * kept, one bit each. For two vectors at angle θ, each bit differs with
 * probability ≈ θ/π, so the Hamming distance of the codes is ≈ Binomial(bits,
 * θ/π): a cheap estimate of the angle, not a bound. `hammingRadius` turns a
 * cosine-distance threshold into a radius that a pair at that distance
 * exceeds only with a chosen (tiny) probability under that model.
 *
 * The Hamming scan runs in a hand-assembled WebAssembly SIMD kernel
 * (v128.xor, i8x16.popcnt) when the runtime supports it, else in plain JS
 * (same results; the spec compares them).
 */

/** Fixed seed: codes must be identical for templates and queries of one process (they are never stored). */
const ROTATION_SEED = 0x5eed_1d;

export class SignCoder {
  /** Code length in bits: the dimension padded to a power of two, at least 128. */
  readonly bits: number;
  readonly bytesPerCode: number;
  private readonly signs: Float64Array[];
  private readonly work: Float64Array;

  constructor(readonly dimension: number) {
    let bits = 128;
    while (bits < dimension) bits *= 2;
    this.bits = bits;
    this.bytesPerCode = bits / 8;
    let seed = ROTATION_SEED;
    const next = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (t ^ (t >>> 14)) >>> 0;
    };
    this.signs = [0, 1, 2].map(() => Float64Array.from({ length: bits }, () => (next() & 1 ? 1 : -1)));
    this.work = new Float64Array(bits);
  }

  /** Writes the code of `v` (any length ≤ bits; zero-padded) into `out` at byte `offset`. */
  encode(v: ArrayLike<number>, out: Uint8Array, offset = 0): void {
    const y = this.work;
    const n = this.bits;
    y.fill(0);
    for (let i = 0; i < v.length; i++) y[i] = v[i];
    for (const s of this.signs) {
      for (let i = 0; i < n; i++) y[i] *= s[i];
      fwht(y);
    }
    for (let byte = 0; byte < this.bytesPerCode; byte++) {
      let b = 0;
      for (let bit = 0; bit < 8; bit++) if (y[byte * 8 + bit] < 0) b |= 1 << bit;
      out[offset + byte] = b;
    }
  }
}

/** In-place unnormalised fast Walsh–Hadamard transform (length a power of two). */
function fwht(y: Float64Array): void {
  const n = y.length;
  for (let h = 1; h < n; h *= 2) {
    for (let i = 0; i < n; i += h * 2) {
      for (let j = i; j < i + h; j++) {
        const a = y[j];
        const b = y[j + h];
        y[j] = a + b;
        y[j + h] = a - b;
      }
    }
  }
}

/** ln P(X > r) for X ~ Binomial(n, p), summed in log space. */
export function binomialUpperTailLog(n: number, p: number, r: number): number {
  const lnFact = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lnFact[i] = lnFact[i - 1] + Math.log(i);
  const terms: number[] = [];
  for (let k = r + 1; k <= n; k++) terms.push(lnFact[n] - lnFact[k] - lnFact[n - k] + k * Math.log(p) + (n - k) * Math.log1p(-p));
  if (terms.length === 0) return -Infinity;
  const best = Math.max(...terms);
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - best);
  return best + Math.log(sum);
}

/**
 * The smallest Hamming radius r such that, for a pair of vectors at cosine
 * distance `distance` (or closer), P(Hamming > r) ≤ `missProbability` under
 * the Binomial(bits, θ/π) model.
 */
export function hammingRadius(bits: number, distance: number, missProbability: number): number {
  const cos = Math.min(1, Math.max(-1, 1 - distance));
  const p = Math.acos(cos) / Math.PI;
  const target = Math.log(missProbability);
  let r = Math.floor(bits * p);
  while (r < bits && binomialUpperTailLog(bits, p, r) > target) r++;
  return r;
}

// ---- Hamming scan ----------------------------------------------------------

export interface HammingScanner {
  /** Bytes available for codes (row-major, `bytesPerCode` each). */
  readonly codes: Uint8Array;
  /** Ensures room for `rows` codes; keeps the existing ones. */
  reserve(rows: number): void;
  /** Hamming distance of `query` to each of the first `n` codes, into the returned array (valid until the next call). */
  scan(query: Uint8Array, n: number): Int32Array;
  readonly kind: 'wasm-simd' | 'js';
}

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};

/**
 * hamming(qPtr, codesPtr, n, rowBytes, outPtr): for each of n rows of
 * rowBytes (a multiple of 16) bytes, out[i] = popcount(q XOR row i) as i32.
 */
function hammingModuleBytes(): Uint8Array<ArrayBuffer> {
  const str = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const simd = (op: number) => [0xfd, ...leb(op)];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const v128load = [...simd(0x00), 0x00, 0x00];
  const [Q, CODES, N, ROW, OUT, END, QP, ACC] = [0, 1, 2, 3, 4, 5, 6, 7];
  const body = [
    0x02, 0x40, // block
    0x03, 0x40, // loop (rows)
    ...get(N), 0x45, 0x0d, 1, // n == 0 → exit
    ...get(CODES), ...get(ROW), 0x6a, ...set(END),
    ...get(Q), ...set(QP),
    ...simd(0x0c), ...new Array(16).fill(0), ...set(ACC),
    0x03, 0x40, // loop (16-byte chunks)
    ...get(ACC),
    ...get(CODES), ...v128load, ...get(QP), ...v128load, ...simd(0x51), // v128.xor
    ...simd(0x62), // i8x16.popcnt
    ...simd(0x7d), // i16x8.extadd_pairwise_i8x16_u
    ...simd(0x8e), // i16x8.add
    ...set(ACC),
    ...get(QP), 0x41, 16, 0x6a, ...set(QP),
    ...get(CODES), 0x41, 16, 0x6a, ...set(CODES),
    ...get(CODES), ...get(END), 0x49, 0x0d, 0, // codes < end → next chunk
    0x0b,
    ...get(OUT),
    ...get(ACC), ...simd(0x7f), ...tee(ACC), // i32x4.extadd_pairwise_i16x8_u
    ...simd(0x1b), 0, ...get(ACC), ...simd(0x1b), 1, 0x6a, ...get(ACC), ...simd(0x1b), 2, 0x6a, ...get(ACC), ...simd(0x1b), 3, 0x6a,
    0x36, 2, 0, // i32.store
    ...get(OUT), 0x41, 4, 0x6a, ...set(OUT),
    ...get(N), 0x41, 1, 0x6b, ...set(N),
    0x0c, 0, // next row
    0x0b,
    0x0b,
    0x0b,
  ];
  const fn = [2, 2, 0x7f, 1, 0x7b, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 5, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x00, 0x01]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('hamming'), 0x00, 0x00]),
    ...section(10, [1, ...leb(fn.length), ...fn]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;
function hammingModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = hammingModuleBytes();
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

const PAGE = 65536;

/** Codes in WebAssembly memory: [codes: capacity × bytesPerCode][query][out: capacity × 4]. */
class WasmHammingScanner implements HammingScanner {
  readonly kind = 'wasm-simd' as const;
  private readonly memory: WebAssembly.Memory;
  private readonly hamming: (q: number, codes: number, n: number, rowBytes: number, out: number) => void;
  private capacity = 0;
  codes!: Uint8Array;
  private queryView!: Uint8Array;
  private out!: Int32Array;

  constructor(private readonly bytesPerCode: number, module: WebAssembly.Module) {
    this.memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.hamming = instance.exports.hamming as WasmHammingScanner['hamming'];
    this.reserve(64);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(64, this.capacity);
    while (capacity < rows) capacity *= 2;
    const needed = capacity * this.bytesPerCode + this.bytesPerCode + capacity * 4;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / PAGE));
    this.capacity = capacity;
    const buffer = this.memory.buffer;
    this.codes = new Uint8Array(buffer, 0, capacity * this.bytesPerCode);
    this.queryView = new Uint8Array(buffer, capacity * this.bytesPerCode, this.bytesPerCode);
    this.out = new Int32Array(buffer, capacity * this.bytesPerCode + this.bytesPerCode, capacity);
  }

  scan(query: Uint8Array, n: number): Int32Array {
    this.queryView.set(query);
    this.hamming(this.queryView.byteOffset, 0, n, this.bytesPerCode, this.out.byteOffset);
    return this.out;
  }
}

/** Same contract in plain JS: SWAR popcount over 32-bit words. */
export class JsHammingScanner implements HammingScanner {
  readonly kind = 'js' as const;
  private capacity = 0;
  codes = new Uint8Array(0);
  private words = new Uint32Array(0);
  private out = new Int32Array(0);

  constructor(private readonly bytesPerCode: number) {
    this.reserve(64);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(64, this.capacity);
    while (capacity < rows) capacity *= 2;
    const codes = new Uint8Array(capacity * this.bytesPerCode);
    codes.set(this.codes);
    this.codes = codes;
    this.words = new Uint32Array(codes.buffer);
    this.out = new Int32Array(capacity);
    this.capacity = capacity;
  }

  scan(query: Uint8Array, n: number): Int32Array {
    const q = new Uint32Array(query.buffer.slice(query.byteOffset, query.byteOffset + this.bytesPerCode));
    const w = this.words;
    const perRow = this.bytesPerCode / 4;
    for (let row = 0; row < n; row++) {
      const base = row * perRow;
      let count = 0;
      for (let i = 0; i < perRow; i++) {
        let x = q[i] ^ w[base + i];
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        x = (x + (x >>> 4)) & 0x0f0f0f0f;
        count += Math.imul(x, 0x01010101) >>> 24;
      }
      this.out[row] = count;
    }
    return this.out;
  }
}

/** The WebAssembly SIMD scanner where supported, else the JS one. */
export function createHammingScanner(bytesPerCode: number, prefer: 'auto' | 'js' = 'auto'): HammingScanner {
  if (bytesPerCode % 16 !== 0) throw new RangeError(`code length must be a multiple of 16 bytes, got ${bytesPerCode}`);
  const module = prefer === 'auto' ? hammingModule() : null;
  return module ? new WasmHammingScanner(bytesPerCode, module) : new JsHammingScanner(bytesPerCode);
}
