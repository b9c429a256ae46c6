import { WhitenedAccumulator } from './whitened-accumulator';
import { CELLS_ACROSS_SHORT_SIDE, MIN_DETECT_SHORT_SIDE } from './watermark-geometry';

/**
 * The keyless half of detection: a clip's luma at the detector's working
 * resolution, whitened and summed over its frames. A pass that decodes the
 * clip anyway (media analysis) computes it and stores it; the keyed half
 * (sync search, list decode) reads it later without decoding anything.
 */
export interface LumaEvidence {
  width: number;
  height: number;
  frames: number;
  sum: Float32Array;
}

/** What a decoding pass must deliver to the detector: every `frameStep`-th frame from the start, grey, at exactly this size, at most maxFrames. */
export interface LumaFrameSize {
  width: number;
  height: number;
  maxFrames: number;
  frameStep: number;
}

/**
 * The working size for a picture of width × height, or why it cannot carry
 * a mark. Long clips (over `everyFrameUpTo` frames) deliver every other
 * frame: a shared decode cannot skip the non-reference frames the
 * detector's own decode skips there, so it halves the frames another way
 * and the whitening costs what it did.
 */
export function lumaFrameSize(width: number, height: number, workingShortSide: number, maxFrames: number, clipFrames: number, everyFrameUpTo: number): LumaFrameSize | { reason: string } {
  const shortSide = Math.min(width, height);
  if (shortSide < MIN_DETECT_SHORT_SIDE) return { reason: `${width}x${height} is too small to carry a watermark (short side under ${MIN_DETECT_SHORT_SIDE} px)` };
  const scale = Math.min(1, workingShortSide / shortSide);
  return { width: Math.max(2, Math.round(width * scale)), height: Math.max(2, Math.round(height * scale)), maxFrames, frameStep: clipFrames > everyFrameUpTo ? 2 : 1 };
}

/** Sums frames of one size into evidence; finish() once, after the last frame. */
export class LumaAccumulation {
  private readonly accumulator: WhitenedAccumulator;

  constructor(readonly size: LumaFrameSize) {
    this.accumulator = new WhitenedAccumulator(size.width, size.height, Math.min(size.width, size.height) / CELLS_ACROSS_SHORT_SIDE);
  }

  get frames(): number {
    return this.accumulator.frames;
  }

  add(frame: Uint8Array): void {
    this.accumulator.add(frame);
  }

  finish(): LumaEvidence {
    this.accumulator.finish();
    return { width: this.size.width, height: this.size.height, frames: this.accumulator.frames, sum: this.accumulator.sum };
  }
}

const MAGIC = 'PWL1';
const HEADER_BYTES = 16;

/** Evidence as bytes for the content store: magic, width, height, frames (u32 LE), then the float32 LE sum. */
export function serializeLumaEvidence(evidence: LumaEvidence): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + evidence.sum.length * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(evidence.width, 4);
  out.writeUInt32LE(evidence.height, 8);
  out.writeUInt32LE(evidence.frames, 12);
  for (let i = 0; i < evidence.sum.length; i++) out.writeFloatLE(evidence.sum[i], HEADER_BYTES + i * 4);
  return out;
}

export function parseLumaEvidence(bytes: Buffer): LumaEvidence {
  const width = bytes.length >= HEADER_BYTES ? bytes.readUInt32LE(4) : 0;
  const height = bytes.length >= HEADER_BYTES ? bytes.readUInt32LE(8) : 0;
  if (bytes.toString('latin1', 0, 4) !== MAGIC || width < 2 || height < 2 || bytes.length !== HEADER_BYTES + width * height * 4) {
    throw new RangeError(`not luma evidence: ${bytes.length} bytes without a valid ${MAGIC} header`);
  }
  const sum = new Float32Array(width * height);
  for (let i = 0; i < sum.length; i++) sum[i] = bytes.readFloatLE(HEADER_BYTES + i * 4);
  return { width, height, frames: bytes.readUInt32LE(12), sum };
}
