import { GridAxis, correlateCells, renderCells } from './cell-grid';
import { Fft2d } from './fft2d';
import type { TileLayout } from './tile-layout';
import { CELLS_ACROSS_SHORT_SIDE, CELLS_PER_TILE, TILE_CELLS } from './watermark-geometry';

/** Where the tile grid sits in an analysed picture. */
export interface GridPlacement {
  /**
   * Fraction of the marked frame's short side that the picture shows: 1 for
   * an uncropped (possibly rescaled) copy, 0.9 after a centre crop keeping
   * 90% of each side, above 1 after padding.
   */
  visibleFraction: number;
  /** The picture is mirrored left to right. */
  flipped: boolean;
  /** Cell coordinates of the picture's centre, modulo the tile. */
  centreCellX: number;
  centreCellY: number;
}

export interface SyncResult extends GridPlacement {
  pilotZ: number;
}

/** Range of crops and paddings searched, and the coarse step (relative). */
const MIN_FRACTION = 0.7;
const MAX_FRACTION = 1.06;
const COARSE_STEP = 0.004;
/** Tile bins per cell in the coarse search (the FFT size is TILE_CELLS times this). */
const BINS_PER_CELL = 2;
const CANDIDATES_REFINED = 3;
/**
 * Coordinate-descent steps for (visibleFraction factor, centre shift in
 * cells): the coarse ones on the half-resolution picture for every
 * candidate, the fine ones at full resolution for the winner only.
 */
const COARSE_REFINE_STEPS: ReadonlyArray<readonly [number, number]> = [
  [0.004, 0.25],
  [0.002, 0.12],
  [0.001, 0.06],
];
const FINE_REFINE_STEPS: ReadonlyArray<readonly [number, number]> = [[0.0005, 0.03]];

/**
 * How many placements the search could have picked from, for the
 * Bonferroni bound on the pilot statistic: every coarse scale, both
 * orientations, every shift of the FFT grid.
 */
export const SEARCHED_PLACEMENTS =
  Math.ceil(Math.log(MAX_FRACTION / MIN_FRACTION) / COARSE_STEP) * 2 * (TILE_CELLS * BINS_PER_CELL) ** 2;

/**
 * Finds the grid in an accumulated, whitened picture: a coarse search folds
 * the picture onto one tile for every candidate scale and orientation and
 * finds the shift by FFT cross-correlation with the keyed pilot; the best
 * few candidates are then refined by coordinate descent on the pilot
 * correlation at full resolution.
 */
export class SyncSearch {
  private readonly bins = TILE_CELLS * BINS_PER_CELL;
  private readonly fft = new Fft2d(this.bins);
  private readonly referenceRe: Float64Array;
  private readonly referenceIm: Float64Array;
  private readonly scores = new Float64Array(CELLS_PER_TILE);

  constructor(private readonly layout: TileLayout) {
    const axis = new GridAxis(this.bins, BINS_PER_CELL);
    this.referenceRe = Float64Array.from(renderCells(layout.pilotValues(), axis, axis));
    this.referenceIm = new Float64Array(this.bins * this.bins);
    this.fft.transform(this.referenceRe, this.referenceIm);
  }

  search(image: Float32Array, width: number, height: number): SyncResult {
    const coarse = halve(image, width, height);
    const candidates: Array<GridPlacement & { z: number }> = [];
    for (const flipped of [false, true]) {
      for (let step = 0; ; step++) {
        const fraction = MIN_FRACTION * Math.exp(step * COARSE_STEP);
        if (fraction > MAX_FRACTION) break;
        candidates.push(this.foldAndCorrelate(coarse.image, coarse.width, coarse.height, fraction, flipped));
      }
    }
    candidates.sort((a, b) => b.z - a.z);
    const distinct: typeof candidates = [];
    for (const c of candidates) {
      if (distinct.length === CANDIDATES_REFINED) break;
      if (distinct.some((d) => d.flipped === c.flipped && Math.abs(Math.log(d.visibleFraction / c.visibleFraction)) < 0.01)) continue;
      distinct.push(c);
    }
    let best: SyncResult | null = null;
    for (const candidate of distinct) {
      const refined = this.refine(coarse.image, coarse.width, coarse.height, placementOf(candidate), COARSE_REFINE_STEPS);
      if (!best || refined.pilotZ > best.pilotZ) best = refined;
    }
    return this.refine(image, width, height, placementOf(best!), FINE_REFINE_STEPS);
  }

  /** Cell correlations of `image` under `placement` (reused buffer). */
  cellScores(image: Float32Array, width: number, height: number, placement: GridPlacement): Float64Array {
    const cellPx = Math.min(width, height) / (CELLS_ACROSS_SHORT_SIDE * placement.visibleFraction);
    const x = new GridAxis(width, cellPx, width / 2, placement.centreCellX, placement.flipped);
    const y = new GridAxis(height, cellPx, height / 2, placement.centreCellY, false);
    return correlateCells(image, x, y, this.scores);
  }

  private refine(image: Float32Array, width: number, height: number, start: GridPlacement, steps: ReadonlyArray<readonly [number, number]>): SyncResult {
    let current = start;
    let z = this.layout.pilotZ(this.cellScores(image, width, height, current));
    for (const [scaleStep, shiftStep] of steps) {
      let improved = true;
      while (improved) {
        improved = false;
        for (const [ds, dx, dy] of [
          [scaleStep, 0, 0],
          [-scaleStep, 0, 0],
          [0, shiftStep, 0],
          [0, -shiftStep, 0],
          [0, 0, shiftStep],
          [0, 0, -shiftStep],
        ]) {
          const trial = {
            ...current,
            visibleFraction: current.visibleFraction * (1 + ds),
            centreCellX: current.centreCellX + dx,
            centreCellY: current.centreCellY + dy,
          };
          const trialZ = this.layout.pilotZ(this.cellScores(image, width, height, trial));
          if (trialZ > z) {
            z = trialZ;
            current = trial;
            improved = true;
          }
        }
      }
    }
    return { ...current, pilotZ: z };
  }

  private foldAndCorrelate(image: Float32Array, width: number, height: number, fraction: number, flipped: boolean): GridPlacement & { z: number } {
    const n = this.bins;
    const cellPx = Math.min(width, height) / (CELLS_ACROSS_SHORT_SIDE * fraction);
    const binOf = (length: number, mirrored: boolean) => {
      const bins = new Int32Array(length);
      for (let p = 0; p < length; p++) {
        const c = ((mirrored ? length - 1 - p : p) + 0.5) / cellPx;
        bins[p] = Math.floor((c - TILE_CELLS * Math.floor(c / TILE_CELLS)) * BINS_PER_CELL) % n;
      }
      return bins;
    };
    const binX = binOf(width, flipped);
    const binY = binOf(height, false);
    const re = new Float64Array(n * n);
    const im = new Float64Array(n * n);
    const counts = new Float64Array(n * n);
    for (let row = 0; row < height; row++) {
      const base = row * width;
      const binRow = binY[row] * n;
      for (let col = 0; col < width; col++) {
        re[binRow + binX[col]] += image[base + col];
        counts[binRow + binX[col]]++;
      }
    }
    let mean = 0;
    for (let i = 0; i < n * n; i++) {
      re[i] = counts[i] > 0 ? re[i] / counts[i] : 0;
      mean += re[i];
    }
    mean /= n * n;
    for (let i = 0; i < n * n; i++) re[i] -= mean;
    this.fft.transform(re, im);
    for (let i = 0; i < n * n; i++) {
      const a = re[i];
      const b = im[i];
      const c = this.referenceRe[i];
      const d = -this.referenceIm[i];
      re[i] = a * c - b * d;
      im[i] = a * d + b * c;
    }
    this.fft.transform(re, im, true);
    let peak = -Infinity;
    let at = 0;
    let energy = 0;
    for (let i = 0; i < n * n; i++) {
      energy += re[i] * re[i];
      if (re[i] > peak) {
        peak = re[i];
        at = i;
      }
    }
    // fold[b] ≈ reference[b - shift]: the picture's cell coordinate is its
    // uncentred coordinate minus the shift; express it at the centre.
    const shiftX = (at % n) / BINS_PER_CELL;
    const shiftY = Math.floor(at / n) / BINS_PER_CELL;
    return {
      visibleFraction: fraction,
      flipped,
      centreCellX: width / 2 / cellPx - shiftX,
      centreCellY: height / 2 / cellPx - shiftY,
      z: energy > 0 ? peak / Math.sqrt(energy / (n * n)) : 0,
    };
  }
}

function placementOf(p: GridPlacement): GridPlacement {
  return { visibleFraction: p.visibleFraction, flipped: p.flipped, centreCellX: p.centreCellX, centreCellY: p.centreCellY };
}

/** 2×2 box downsample: the coarse search does not need full resolution. */
function halve(image: Float32Array, width: number, height: number): { image: Float32Array; width: number; height: number } {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const a = 2 * y * width;
    const b = a + width;
    for (let x = 0; x < w; x++) out[y * w + x] = image[a + 2 * x] + image[a + 2 * x + 1] + image[b + 2 * x] + image[b + 2 * x + 1];
  }
  return { image: out, width: w, height: h };
}
