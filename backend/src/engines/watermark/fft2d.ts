/** In-place radix-2 complex FFT of an n×n grid (n a power of two), rows then columns. */
export class Fft2d {
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly bitReversed: Uint32Array;
  private readonly lineRe: Float64Array;
  private readonly lineIm: Float64Array;

  constructor(readonly n: number) {
    if (n < 2 || (n & (n - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${n}`);
    this.cos = new Float64Array(n / 2);
    this.sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    const bits = Math.log2(n);
    this.bitReversed = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = r;
    }
    this.lineRe = new Float64Array(n);
    this.lineIm = new Float64Array(n);
  }

  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.n;
    for (let row = 0; row < n; row++) this.line(re, im, row * n, 1, inverse);
    for (let col = 0; col < n; col++) this.line(re, im, col, n, inverse);
    if (inverse) {
      const scale = 1 / (n * n);
      for (let i = 0; i < n * n; i++) {
        re[i] *= scale;
        im[i] *= scale;
      }
    }
  }

  private line(re: Float64Array, im: Float64Array, start: number, stride: number, inverse: boolean): void {
    const n = this.n;
    const r = this.lineRe;
    const m = this.lineIm;
    for (let i = 0; i < n; i++) {
      const j = this.bitReversed[i];
      r[j] = re[start + i * stride];
      m[j] = im[start + i * stride];
    }
    const sign = inverse ? 1 : -1;
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const step = n / size;
      for (let i = 0; i < n; i += size) {
        for (let k = 0; k < half; k++) {
          const wr = this.cos[k * step];
          const wi = sign * this.sin[k * step];
          const a = i + k;
          const b = a + half;
          const tr = r[b] * wr - m[b] * wi;
          const ti = r[b] * wi + m[b] * wr;
          r[b] = r[a] - tr;
          m[b] = m[a] - ti;
          r[a] += tr;
          m[a] += ti;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      re[start + i * stride] = r[i];
      im[start + i * stride] = m[i];
    }
  }
}
