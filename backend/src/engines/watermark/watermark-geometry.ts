/**
 * Where the mark lives. The picture is covered by a grid of cells whose size
 * is a fixed fraction of the frame's shorter side, so a downscale keeps the
 * grid aligned with the frame; the grid repeats with a period of TILE_CELLS
 * cells, so a crop only shifts it (the detector folds the frame onto one tile
 * and searches the shift and the crop scale).
 */
export const CELLS_ACROSS_SHORT_SIDE = 64;
/** Cells per tile side: one tile holds the whole codeword plus the pilot. */
export const TILE_CELLS = 32;
export const CELLS_PER_TILE = TILE_CELLS * TILE_CELLS;
/** Each coded bit is carried by this many cells per tile. */
export const CELLS_PER_CODED_BIT = 2;

/** Below this the cells would be under 2 px: too small to survive anything. */
export const MIN_EMBED_SHORT_SIDE = 128;
/** Below this the detector cannot resolve a cell at all. */
export const MIN_DETECT_SHORT_SIDE = 64;

/** Cell size in pixels for a frame of these dimensions as embedded. */
export function cellPixels(width: number, height: number): number {
  return Math.min(width, height) / CELLS_ACROSS_SHORT_SIDE;
}
