import type { WatermarkDetector } from './watermark-detector';
import type { WatermarkKey } from './watermark-key';

/**
 * Frames of the release candidate the read-back decodes first: 2 s at 30
 * fps (about 4 s where the detector skips non-reference frames). A fresh
 * CRF 18 render reads exactly from far fewer (one JPEG'd frame often
 * suffices), so this only decides how fast the common case is: a sample
 * that does not read falls back to the detector's full read.
 */
export const READ_BACK_SAMPLE_FRAMES = 60;

export interface ReadBackRequest {
  /** The encoded release candidate. */
  input: string;
  key: WatermarkKey;
  /** Hex of the payload the candidate must carry. */
  payloadHex: string;
  sampleFrames?: number;
  signal?: AbortSignal;
}

export interface ReleaseReadBack {
  /** The detector read exactly `payloadHex` from the candidate's own decoded frames. */
  readable: boolean;
  /** `sample`: the first frames decided; `full`: they did not, and the detector's full read did. */
  scope: 'sample' | 'full';
  framesAnalysed: number;
  bitAccuracy: number | null;
  pilotZ: number | null;
  elapsedMs: number;
}

/**
 * Confirms the encoded candidate carries a readable mark: the real detector
 * on the file itself (decode, whitening, sync, list decode), so an encoder
 * that lost the mark, a wrong or garbled file fails it. It reads a sample
 * first, since a "found" from a sample has the same false-positive bound as
 * from the whole clip (one list decode, 2^-32); only a sample that does not
 * read costs the full read, so no candidate is flagged that the full
 * detector would have read.
 */
export async function readBackRelease(detector: WatermarkDetector, request: ReadBackRequest): Promise<ReleaseReadBack> {
  const started = Date.now();
  const sampleFrames = request.sampleFrames ?? READ_BACK_SAMPLE_FRAMES;
  const read = async (maxFrames: number | undefined, scope: ReleaseReadBack['scope']): Promise<ReleaseReadBack> => {
    const detection = await detector.detect({ input: request.input, key: request.key, maxFrames, signal: request.signal });
    return {
      readable: detection.found && detection.payload === request.payloadHex.toLowerCase(),
      scope,
      framesAnalysed: detection.framesAnalysed,
      bitAccuracy: detection.bitAccuracy,
      pilotZ: detection.sync?.pilotZ ?? null,
      elapsedMs: Date.now() - started,
    };
  };
  const sample = await read(sampleFrames, 'sample');
  // A sample shorter than asked for was the whole clip: the full read would see the same frames.
  if (sample.framesAnalysed < sampleFrames) return { ...sample, scope: 'full' };
  return sample.readable ? sample : read(undefined, 'full');
}
