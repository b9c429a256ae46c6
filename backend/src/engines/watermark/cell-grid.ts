import { TILE_CELLS } from './watermark-geometry';

/**
 * One axis of the cell grid as seen in a particular picture: for every pixel
 * column (or row), the tile cell to its left and the raised-cosine weight of
 * that cell (the right neighbour gets 1 - weight). The raised cosine makes
 * the pattern smooth, so it survives scaling and compression and shows no
 * cell edges.
 */
export class GridAxis {
  readonly cell: Int32Array;
  readonly weight: Float32Array;

  /**
   * `cellPx`: cell size in this picture's pixels; `origin`: the pixel
   * coordinate where the cell coordinate is `originCell`; `mirrored`: the
   * picture was flipped along this axis.
   */
  constructor(length: number, cellPx: number, origin = 0, originCell = 0, mirrored = false) {
    this.cell = new Int32Array(length);
    this.weight = new Float32Array(length);
    for (let p = 0; p < length; p++) {
      const coordinate = mirrored ? length - 1 - p : p;
      // Cell centres sit at half-integer cell coordinates.
      const a = (coordinate + 0.5 - origin) / cellPx + originCell - 0.5;
      const left = Math.floor(a);
      const frac = a - left;
      this.cell[p] = ((left % TILE_CELLS) + TILE_CELLS) % TILE_CELLS;
      const c = Math.cos((Math.PI * frac) / 2);
      this.weight[p] = c * c;
    }
  }
}

/** The mark's pattern (one value per pixel, about ±1) for these cell amplitudes. */
export function renderCells(values: Float32Array, x: GridAxis, y: GridAxis): Float32Array {
  const width = x.cell.length;
  const height = y.cell.length;
  const out = new Float32Array(width * height);
  const rowTop = new Float32Array(width);
  const rowBottom = new Float32Array(width);
  for (let row = 0; row < height; row++) {
    const top = y.cell[row] * TILE_CELLS;
    const bottom = ((y.cell[row] + 1) % TILE_CELLS) * TILE_CELLS;
    for (let col = 0; col < width; col++) {
      const left = x.cell[col];
      const right = (left + 1) % TILE_CELLS;
      const wx = x.weight[col];
      rowTop[col] = wx * values[top + left] + (1 - wx) * values[top + right];
      rowBottom[col] = wx * values[bottom + left] + (1 - wx) * values[bottom + right];
    }
    const wy = y.weight[row];
    const base = row * width;
    for (let col = 0; col < width; col++) out[base + col] = wy * rowTop[col] + (1 - wy) * rowBottom[col];
  }
  return out;
}

/**
 * The transpose of renderCells: correlates `image` with every cell's
 * raised-cosine bump, summed over all tiles. Separable: columns first into
 * per-row cell sums, then rows.
 */
export function correlateCells(image: Float32Array, x: GridAxis, y: GridAxis, out: Float64Array): Float64Array {
  const width = x.cell.length;
  const height = y.cell.length;
  out.fill(0);
  const rowSums = new Float64Array(TILE_CELLS);
  for (let row = 0; row < height; row++) {
    rowSums.fill(0);
    const base = row * width;
    for (let col = 0; col < width; col++) {
      const v = image[base + col];
      const left = x.cell[col];
      const a = v * x.weight[col];
      rowSums[left] += a;
      rowSums[left === TILE_CELLS - 1 ? 0 : left + 1] += v - a;
    }
    const wy = y.weight[row];
    const top = y.cell[row] * TILE_CELLS;
    const bottom = ((y.cell[row] + 1) % TILE_CELLS) * TILE_CELLS;
    for (let c = 0; c < TILE_CELLS; c++) {
      const s = rowSums[c];
      out[top + c] += wy * s;
      out[bottom + c] += s - wy * s;
    }
  }
  return out;
}
