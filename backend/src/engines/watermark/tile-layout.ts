import { CELLS_PER_CODED_BIT, CELLS_PER_TILE } from './watermark-geometry';
import { CODED_BITS } from './payload-codec';
import type { WatermarkKey } from './watermark-key';

export const DATA_CELLS = CODED_BITS * CELLS_PER_CODED_BIT;
export const PILOT_CELLS = CELLS_PER_TILE - DATA_CELLS;

/**
 * The keyed arrangement of one tile: every cell has a pseudo-random sign
 * (its chip); pilot cells always show their chip, so the detector can find
 * the tile's position without knowing the payload; each coded bit owns
 * CELLS_PER_CODED_BIT cells scattered over the tile and flips their chips.
 */
export class TileLayout {
  /** ±1 per cell. */
  readonly chips: Int8Array;
  readonly isPilot: Uint8Array;
  /** dataCells[b * CELLS_PER_CODED_BIT + k]: the k-th cell of coded bit b. */
  readonly dataCells: Uint16Array;

  constructor(key: WatermarkKey) {
    const random = key.stream('tile-layout', CELLS_PER_TILE + CELLS_PER_TILE * 4);
    this.chips = new Int8Array(CELLS_PER_TILE);
    for (let c = 0; c < CELLS_PER_TILE; c++) this.chips[c] = random[c] & 1 ? 1 : -1;
    const order = keyedPermutation(CELLS_PER_TILE, random.subarray(CELLS_PER_TILE));
    this.isPilot = new Uint8Array(CELLS_PER_TILE);
    for (let i = 0; i < PILOT_CELLS; i++) this.isPilot[order[i]] = 1;
    this.dataCells = Uint16Array.from(order.subarray(PILOT_CELLS));
  }

  /** Signed amplitude (±1) of every cell for this codeword. */
  cellValues(codeword: Uint8Array): Float32Array {
    const values = Float32Array.from(this.chips);
    for (let i = 0; i < DATA_CELLS; i++) {
      const cell = this.dataCells[i];
      values[cell] = codeword[Math.floor(i / CELLS_PER_CODED_BIT)] ? this.chips[cell] : -this.chips[cell];
    }
    return values;
  }

  /** The pilot's amplitudes, data cells zero: the reference for synchronisation. */
  pilotValues(): Float32Array {
    const values = new Float32Array(CELLS_PER_TILE);
    for (let c = 0; c < CELLS_PER_TILE; c++) if (this.isPilot[c]) values[c] = this.chips[c];
    return values;
  }

  /** Cell correlations → soft coded bits (positive favours 1). */
  softBits(cellScores: Float64Array): Float64Array {
    const soft = new Float64Array(CODED_BITS);
    for (let i = 0; i < DATA_CELLS; i++) {
      const cell = this.dataCells[i];
      soft[Math.floor(i / CELLS_PER_CODED_BIT)] += cellScores[cell] * this.chips[cell];
    }
    return soft;
  }

  /**
   * Normalised pilot correlation. With keyed random chips it is close to
   * N(0,1) on unmarked content whatever the content, since the chips, not
   * the picture, supply the randomness.
   */
  pilotZ(cellScores: Float64Array): number {
    let dot = 0;
    let energy = 0;
    for (let c = 0; c < CELLS_PER_TILE; c++) {
      if (!this.isPilot[c]) continue;
      dot += cellScores[c] * this.chips[c];
      energy += cellScores[c] * cellScores[c];
    }
    return energy > 0 ? dot / Math.sqrt(energy) : 0;
  }
}

/** Fisher–Yates driven by 32-bit words of `random`. */
function keyedPermutation(n: number, random: Buffer): Uint16Array {
  const order = new Uint16Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.readUInt32LE((n - 1 - i) * 4) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
