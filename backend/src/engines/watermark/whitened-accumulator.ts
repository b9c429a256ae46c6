/**
 * Detector front end: removes each frame's picture content as far as a cheap
 * filter can (luma minus its local mean), divides by the local residual level
 * so edges and texture do not drown the flat areas where the mark is easiest
 * to read, and sums over frames. The mark is static, so it adds up
 * coherently while moving content averages out. Consecutive frames are
 * summed in pairs before whitening: neighbours differ little, and it halves
 * the cost. Finally the sum is normalised by its own level per block: content
 * that stays still (static text, logos, the visible label, a paused scene)
 * adds up coherently just like the mark and would otherwise outweigh every
 * moving region.
 */
export class WhitenedAccumulator {
  readonly sum: Float32Array;
  frames = 0;
  private readonly pair: Float32Array;
  private pending = false;
  private readonly radius: number;
  private readonly blurred: Float32Array;
  private readonly scratch: Float32Array;
  private readonly blocksX: number;
  private readonly levels: Float32Array;
  private readonly blockOfX: Int32Array;

  /** Keeps a bit of the raw residual where the picture is perfectly flat (luma levels). */
  private static readonly FLOOR = 0.3;
  /** Relative floor of the final per-block normalisation. */
  private static readonly EQUALISE_FLOOR = 0.1;
  /** The residual level is measured per block of this size (about 1.5 cells at 360p). */
  private static readonly BLOCK = 8;

  constructor(
    readonly width: number,
    readonly height: number,
    cellPx: number,
  ) {
    const n = width * height;
    this.sum = new Float32Array(n);
    this.pair = new Float32Array(n);
    this.blurred = new Float32Array(n);
    this.scratch = new Float32Array(n);
    this.radius = Math.max(1, Math.round(0.7 * cellPx));
    this.blocksX = Math.ceil(width / WhitenedAccumulator.BLOCK);
    this.levels = new Float32Array(this.blocksX * Math.ceil(height / WhitenedAccumulator.BLOCK));
    this.blockOfX = new Int32Array(width);
    for (let x = 0; x < width; x++) this.blockOfX[x] = Math.floor(x / WhitenedAccumulator.BLOCK);
  }

  add(luma: Uint8Array): void {
    const n = this.width * this.height;
    if (luma.length < n) throw new RangeError(`frame has ${luma.length} bytes, expected ${n}`);
    const pair = this.pair;
    this.frames++;
    if (!this.pending) {
      for (let i = 0; i < n; i++) pair[i] = luma[i];
      this.pending = true;
      return;
    }
    for (let i = 0; i < n; i++) pair[i] += luma[i];
    this.pending = false;
    this.whiten(pair, 2);
  }

  /** Whitens a frame left without a partner; call once after the last add. */
  finish(): void {
    if (this.pending) {
      this.pending = false;
      this.whiten(this.pair, 1);
    }
    this.equalise();
  }

  /**
   * Divides the sum by its RMS per block (plus a floor, a tenth of the mean
   * block RMS, so that empty blocks are not blown up).
   */
  private equalise(): void {
    const { width, height, sum, levels, blocksX, blockOfX } = this;
    const block = WhitenedAccumulator.BLOCK;
    levels.fill(0);
    for (let y = 0; y < height; y++) {
      const base = y * width;
      const blockRow = ((y / block) | 0) * blocksX;
      for (let x = 0; x < width; x++) levels[blockRow + blockOfX[x]] += sum[base + x] * sum[base + x];
    }
    let meanRms = 0;
    for (let b = 0; b < levels.length; b++) {
      levels[b] = Math.sqrt(levels[b] / this.blockArea(b));
      meanRms += levels[b] / levels.length;
    }
    if (meanRms === 0) return; // a perfectly flat, still picture: nothing to equalise
    for (let b = 0; b < levels.length; b++) levels[b] = 1 / (levels[b] + WhitenedAccumulator.EQUALISE_FLOOR * meanRms);
    for (let y = 0; y < height; y++) {
      const base = y * width;
      const blockRow = ((y / block) | 0) * blocksX;
      for (let x = 0; x < width; x++) sum[base + x] *= levels[blockRow + blockOfX[x]];
    }
  }

  private blockArea(b: number): number {
    const block = WhitenedAccumulator.BLOCK;
    const bx = b % this.blocksX;
    const by = Math.floor(b / this.blocksX);
    return (Math.min(this.width, (bx + 1) * block) - bx * block) * (Math.min(this.height, (by + 1) * block) - by * block);
  }

  /** `luma` is the sum of `count` frames. */
  private whiten(luma: Float32Array, count: number): void {
    const { width, height, blurred, levels, blocksX, sum, blockOfX } = this;
    const block = WhitenedAccumulator.BLOCK;
    boxBlur(luma, blurred, this.scratch, width, height, this.radius);
    // Residual = luma - local mean (kept in `blurred`); its mean magnitude per block.
    levels.fill(0);
    for (let y = 0; y < height; y++) {
      const base = y * width;
      const blockRow = ((y / block) | 0) * blocksX;
      for (let x = 0; x < width; x++) {
        const i = base + x;
        const r = luma[i] - blurred[i];
        blurred[i] = r;
        levels[blockRow + blockOfX[x]] += r < 0 ? -r : r;
      }
    }
    for (let b = 0; b < levels.length; b++) levels[b] = 1 / (levels[b] / this.blockArea(b) + WhitenedAccumulator.FLOOR * count);
    for (let y = 0; y < height; y++) {
      const base = y * width;
      const blockRow = ((y / block) | 0) * blocksX;
      for (let x = 0; x < width; x++) sum[base + x] += blurred[base + x] * levels[blockRow + blockOfX[x]];
    }
  }
}

/** Separable box blur with edge clamping; `out` may alias `src`. */
function boxBlur(src: ArrayLike<number>, out: Float32Array, tmp: Float32Array, width: number, height: number, radius: number): void {
  const inv = 1 / (2 * radius + 1);
  const lastX = width - 1;
  for (let row = 0; row < height; row++) {
    const base = row * width;
    let s = (radius + 1) * src[base];
    for (let k = 1; k <= radius; k++) s += src[base + (k < lastX ? k : lastX)];
    for (let x = 0; x < width; x++) {
      tmp[base + x] = s * inv;
      const add = x + radius + 1;
      const drop = x - radius;
      s += src[base + (add < lastX ? add : lastX)] - src[base + (drop > 0 ? drop : 0)];
    }
  }
  // Vertical pass row by row with one running sum per column (cache friendly).
  const lastY = height - 1;
  const columns = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    let s = (radius + 1) * tmp[x];
    for (let k = 1; k <= radius; k++) s += tmp[(k < lastY ? k : lastY) * width + x];
    columns[x] = s;
  }
  for (let y = 0; y < height; y++) {
    const base = y * width;
    const add = (y + radius + 1 < lastY ? y + radius + 1 : lastY) * width;
    const drop = (y - radius > 0 ? y - radius : 0) * width;
    for (let x = 0; x < width; x++) {
      out[base + x] = columns[x] * inv;
      columns[x] += tmp[add + x] - tmp[drop + x];
    }
  }
}
