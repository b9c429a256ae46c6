import { type FfmpegBinaries, FfmpegStream } from '../media';
import { DECODE_CANDIDATES, PayloadCodec, TAG_BITS } from './payload-codec';
import { SEARCHED_PLACEMENTS, SyncResult, SyncSearch } from './sync-search';
import { LumaAccumulation, type LumaEvidence, type LumaFrameSize, lumaFrameSize } from './luma-evidence';
import { TileLayout } from './tile-layout';
import { probeVideoStream } from './video-stream-info';
import type { WatermarkKey } from './watermark-key';

export interface DetectRequest {
  input: string;
  key: WatermarkKey;
  /** Reads at most this many decoded frames from the start; default the detector's maxFrames. */
  maxFrames?: number;
  signal?: AbortSignal;
}

export interface WatermarkDetection {
  found: boolean;
  /** Hex of the 8-byte payload when found. */
  payload: string | null;
  /**
   * 1 minus the chance that unmarked content produced this answer: when
   * found, 1 - FALSE_POSITIVE_BOUND; otherwise from the pilot statistic
   * alone, i.e. evidence that a mark with this key is present even though
   * the payload could not be read (0 for unmarked content).
   */
  confidence: number;
  /** Fraction of coded bits read correctly (known once the payload is), else null. */
  bitAccuracy: number | null;
  framesAnalysed: number;
  sync: SyncResult | null;
  /** Why nothing was found, when that is not simply "no mark". */
  reason: string | null;
  elapsedMs: number;
}

/** The detector's raw reading, before error correction: for benchmarks and diagnosis. */
export interface WatermarkReading {
  softBits: Float64Array;
  sync: SyncResult;
  framesAnalysed: number;
}

export interface WatermarkDetectorOptions {
  timeoutMs: number;
  /** Frames are analysed at this short side (never upscaled). */
  workingShortSide?: number;
  /** At most this many decoded frames are analysed (from the start). */
  maxFrames?: number;
}

/**
 * One list decode per clip, checking DECODE_CANDIDATES (256) words, so on
 * unmarked content a false "found" needs the 40-bit keyed tag of one of them
 * to match by chance: at most 256 × 2^-40 = 2^-32 ≈ 2.3e-10 per clip,
 * whatever the content (README has the argument).
 */
export const FALSE_POSITIVE_BOUND = DECODE_CANDIDATES * 2 ** -TAG_BITS;
/**
 * Non-reference frames are skipped only in clips longer than this many
 * frames: there they halve the decoding time for little loss, in short
 * clips every frame counts.
 */
const SKIP_NON_REFERENCE_ABOVE_FRAMES = 150;
/** The refinement searches around each coarse candidate; counted generously. */
const REFINEMENT_FACTOR = 64;

/**
 * Reads the mark: decodes the clip's luma at a working resolution (in long
 * clips skipping non-reference frames, which are the most compressed and the
 * cheapest to leave out), accumulates whitened frames, finds the tile grid,
 * and decodes the payload from the cells. detectEvidence() does the same from
 * frames another pass decoded (media analysis), which reads every frame.
 */
export class WatermarkDetector {
  private readonly workingShortSide: number;
  private readonly maxFrames: number;

  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly options: WatermarkDetectorOptions,
  ) {
    this.workingShortSide = options.workingShortSide ?? 360;
    this.maxFrames = options.maxFrames ?? 450;
  }

  async detect(request: DetectRequest): Promise<WatermarkDetection> {
    const started = Date.now();
    return this.decide(await this.read(request), request.key, started);
  }

  /**
   * Detection from evidence another decode pass accumulated (lumaFrameSize
   * and LumaAccumulation): the same search and decode as detect(), no ffmpeg.
   */
  detectEvidence(evidence: LumaEvidence, key: WatermarkKey): WatermarkDetection {
    return this.decide(this.readEvidence(evidence, key), key, Date.now());
  }

  /** The frames this detector reads from a clip of width × height and `clipFrames` frames, for a pass that decodes it anyway. */
  frameSize(width: number, height: number, clipFrames: number): LumaFrameSize | { reason: string } {
    return lumaFrameSize(width, height, this.workingShortSide, this.maxFrames, clipFrames, SKIP_NON_REFERENCE_ABOVE_FRAMES);
  }

  private decide(reading: WatermarkReading | { reason: string; framesAnalysed: number }, key: WatermarkKey, started: number): WatermarkDetection {
    const elapsed = () => Date.now() - started;
    if ('reason' in reading) {
      return { found: false, payload: null, confidence: 0, bitAccuracy: null, framesAnalysed: reading.framesAnalysed, sync: null, reason: reading.reason, elapsedMs: elapsed() };
    }
    const decoded = new PayloadCodec(key).decode(reading.softBits);
    if (decoded) {
      return {
        found: true,
        payload: decoded.payload.toString('hex'),
        confidence: 1 - FALSE_POSITIVE_BOUND,
        bitAccuracy: decoded.bitAccuracy,
        framesAnalysed: reading.framesAnalysed,
        sync: reading.sync,
        reason: null,
        elapsedMs: elapsed(),
      };
    }
    const pValue = Math.min(1, SEARCHED_PLACEMENTS * REFINEMENT_FACTOR * normalTail(reading.sync.pilotZ));
    return {
      found: false,
      payload: null,
      confidence: 1 - pValue,
      bitAccuracy: null,
      framesAnalysed: reading.framesAnalysed,
      sync: reading.sync,
      reason: null,
      elapsedMs: elapsed(),
    };
  }

  /** Soft coded bits at the best grid placement, or why there are none. */
  async read(request: DetectRequest): Promise<WatermarkReading | { reason: string; framesAnalysed: number }> {
    const info = await probeVideoStream(this.bins, request.input, this.options.timeoutMs, request.signal);
    // This decode skips non-reference frames in long clips instead of taking every other one (frameStep is not used here).
    const size = lumaFrameSize(info.width, info.height, this.workingShortSide, request.maxFrames ?? this.maxFrames, 0, SKIP_NON_REFERENCE_ABOVE_FRAMES);
    if ('reason' in size) return { reason: size.reason, framesAnalysed: 0 };
    let accumulation = new LumaAccumulation(size);
    const skipNonReference = info.durationSeconds * info.frameRateValue > SKIP_NON_REFERENCE_ABOVE_FRAMES;
    await this.accumulate(request, accumulation, skipNonReference);
    // Streams made only of non-reference frames exist (rare); read them in full.
    if (accumulation.frames === 0 && skipNonReference) {
      accumulation = new LumaAccumulation(size);
      await this.accumulate(request, accumulation, false);
    }
    return this.readEvidence(accumulation.finish(), request.key);
  }

  private readEvidence(evidence: LumaEvidence, key: WatermarkKey): WatermarkReading | { reason: string; framesAnalysed: number } {
    const { width, height, sum, frames } = evidence;
    if (frames === 0) return { reason: 'the clip decoded to no frames', framesAnalysed: 0 };
    const layout = new TileLayout(key);
    const search = new SyncSearch(layout);
    const sync = search.search(sum, width, height);
    const scores = search.cellScores(sum, width, height, sync);
    return { softBits: layout.softBits(scores), sync, framesAnalysed: frames };
  }

  private async accumulate(request: DetectRequest, accumulation: LumaAccumulation, skipNonReference: boolean): Promise<void> {
    const { width, height, maxFrames } = accumulation.size;
    const decoder = new FfmpegStream(
      this.bins.ffmpeg,
      [
        '-v', 'error', '-nostdin',
        ...(skipNonReference ? ['-skip_frame', 'noref'] : []),
        '-i', `file:${request.input}`,
        '-map', '0:v:0', '-vsync', '0',
        '-vf', `scale=${width}:${height}:flags=area,format=gray`,
        '-frames:v', String(maxFrames),
        '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1',
      ],
      { timeoutMs: this.options.timeoutMs, signal: request.signal },
    );
    try {
      for await (const frame of decoder.frames(width * height)) accumulation.add(frame);
      await decoder.done();
    } catch (err) {
      decoder.kill('ABORTED', 'detection failed');
      await decoder.done().catch(() => undefined);
      throw err;
    }
  }
}

/** P(N(0,1) > z), from erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function normalTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const erfc =
    t *
    Math.exp(
      -x * x - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return 0.5 * (x >= 0 ? erfc : 2 - erfc);
}
