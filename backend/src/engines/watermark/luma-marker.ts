/** How strongly the pattern is added, in 8-bit luma levels per unit of pattern. */
export interface MarkStrength {
  /** Amplitude where the picture is flat: kept low, since flat areas show everything. */
  flatAmplitude: number;
  /** Upper bound of the amplitude in busy texture. */
  texturedAmplitude: number;
  /** Amplitude per unit of local activity (mean absolute neighbour difference). */
  activityGain: number;
  /**
   * Luminance masking: the flat amplitude is multiplied by how much less
   * visible a luma step is at the block's mean luma than at mid-grey (a
   * just-noticeable-difference curve, see luminanceMasking), up to this
   * factor. 1 turns it off.
   */
  luminanceLimit: number;
}

/**
 * Tuned on the bench corpus: the flat floor carries most of the detectable
 * signal (flat areas have the least picture noise) and is the amplitude
 * that decides visibility on smooth gradients. Texture gets more (the
 * picture masks it): on ordinary content that buys little, because the
 * detector weighs texture down, but on pictures that are texture everywhere
 * (high-contrast binary patterns, heavy grain) it is the only signal there is.
 * Luminance masking raises the floor by up to 1.4× on bright and dark areas
 * (real photographs, issue 16: smooth out-of-focus backgrounds carry only the
 * floor, and at 1.2 it did not survive half size + CRF 28); 2× read better
 * still but showed a clear mottle on smooth bokeh at 1:1; at 1.4× it stays
 * about as faint as at 1× (visible only when looking for it).
 */
export const DEFAULT_MARK_STRENGTH: Readonly<MarkStrength> = Object.freeze({
  flatAmplitude: 1.2,
  texturedAmplitude: 4,
  activityGain: 0.5,
  luminanceLimit: 1.4,
});

/**
 * Visibility threshold of a luma step on a background of mean luma `mean`,
 * relative to its minimum near mid-grey (Chou and Li's background-luminance
 * JND model, 3 levels at 127, rising to about 6 at 255 and steeply towards
 * black): bright skies and dark shadows hide more of the mark than mid-tones.
 */
export function luminanceMasking(mean: number): number {
  const jnd = mean <= 127 ? 17 * (1 - Math.sqrt(mean / 127)) + 3 : (3 / 128) * (mean - 127) + 3;
  return jnd / 3;
}

const BLOCK = 8;

/**
 * Adds the pattern to one frame's luma, scaled by a perceptual mask: local
 * activity and mean luma measured on 8×8 blocks, eroded over the 3×3 block neighbourhood
 * so that flat areas next to an edge stay as clean as other flat areas, and
 * interpolated bilinearly so the amplitude never steps at block borders.
 */
export class LumaMarker {
  private readonly blocksX: number;
  private readonly blocksY: number;
  private readonly activity: Float32Array;
  private readonly meanLuma: Float32Array;
  private readonly amplitude: Float32Array;
  private readonly rowAmplitude: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly pattern: Float32Array,
    private readonly strength: MarkStrength = DEFAULT_MARK_STRENGTH,
  ) {
    if (pattern.length !== width * height) throw new RangeError('pattern size does not match the frame');
    this.blocksX = Math.ceil(width / BLOCK);
    this.blocksY = Math.ceil(height / BLOCK);
    this.activity = new Float32Array(this.blocksX * this.blocksY);
    this.meanLuma = new Float32Array(this.blocksX * this.blocksY);
    this.amplitude = new Float32Array(this.blocksX * this.blocksY);
    this.rowAmplitude = new Float32Array(this.blocksX);
  }

  /** Marks `luma` (width × height bytes, row-major) in place. */
  mark(luma: Uint8Array): void {
    this.measureActivity(luma);
    this.activityToAmplitude();
    const out = new Uint8ClampedArray(luma.buffer, luma.byteOffset, this.width * this.height);
    const { width, height, pattern, blocksX, blocksY, amplitude, rowAmplitude } = this;
    const half = BLOCK / 2;
    for (let y = 0; y < height; y++) {
      const f = Math.min(blocksY - 1, Math.max(0, (y + 0.5) / BLOCK - 0.5));
      const top = Math.floor(f) * blocksX;
      const bottom = Math.min(blocksY - 1, Math.floor(f) + 1) * blocksX;
      const wy = f - Math.floor(f);
      for (let b = 0; b < blocksX; b++) rowAmplitude[b] = amplitude[top + b] + wy * (amplitude[bottom + b] - amplitude[top + b]);
      const base = y * width;
      // Linear in x between block centres, stepped incrementally (this loop is the hot spot).
      let x = 0;
      const firstEnd = Math.min(width, half);
      for (let a = rowAmplitude[0]; x < firstEnd; x++) out[base + x] = luma[base + x] + a * pattern[base + x];
      for (let b = 0; b + 1 < blocksX && x < width; b++) {
        const step = (rowAmplitude[b + 1] - rowAmplitude[b]) / BLOCK;
        let a = rowAmplitude[b] + step * (x + 0.5 - (b * BLOCK + half));
        const end = Math.min(width, (b + 1) * BLOCK + half);
        for (; x < end; x++, a += step) out[base + x] = luma[base + x] + a * pattern[base + x];
      }
      for (const a = rowAmplitude[blocksX - 1]; x < width; x++) out[base + x] = luma[base + x] + a * pattern[base + x];
    }
  }

  /** Mean |dx| + |dy| and mean luma per block, on every other row and column (plenty for a mask). */
  private measureActivity(luma: Uint8Array): void {
    const { width, height, blocksX, blocksY, activity, meanLuma } = this;
    for (let by = 0; by < blocksY; by++) {
      const y0 = by * BLOCK;
      const y1 = Math.min(height - 1, y0 + BLOCK);
      for (let bx = 0; bx < blocksX; bx++) {
        const x0 = bx * BLOCK;
        const x1 = Math.min(width - 1, x0 + BLOCK);
        let sum = 0;
        let level = 0;
        let count = 0;
        for (let y = y0; y < y1; y += 2) {
          const base = y * width;
          for (let x = x0; x < x1; x += 2) {
            const p = luma[base + x];
            const dx = luma[base + x + 1] - p;
            const dy = luma[base + width + x] - p;
            sum += (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
            level += p;
            count++;
          }
        }
        activity[by * blocksX + bx] = count > 0 ? sum / count : 0;
        meanLuma[by * blocksX + bx] = count > 0 ? level / count : 128;
      }
    }
  }

  private activityToAmplitude(): void {
    const { blocksX, blocksY, activity, meanLuma, amplitude } = this;
    const { flatAmplitude, texturedAmplitude, activityGain, luminanceLimit } = this.strength;
    for (let by = 0; by < blocksY; by++) {
      for (let bx = 0; bx < blocksX; bx++) {
        let least = Infinity;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = Math.min(blocksY - 1, Math.max(0, by + dy));
          for (let dx = -1; dx <= 1; dx++) {
            const v = activity[yy * blocksX + Math.min(blocksX - 1, Math.max(0, bx + dx))];
            if (v < least) least = v;
          }
        }
        const b = by * blocksX + bx;
        const floor = luminanceLimit > 1 ? flatAmplitude * Math.min(luminanceLimit, luminanceMasking(meanLuma[b])) : flatAmplitude;
        amplitude[b] = Math.min(texturedAmplitude, Math.max(floor, activityGain * least));
      }
    }
  }
}
