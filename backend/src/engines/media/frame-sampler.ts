import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FfmpegBinaries } from './ffmpeg-binaries';
import { FfmpegStream } from './ffmpeg-stream';
import { MediaProcessError } from './run-process';

export interface SampledFrame {
  path: string;
  timestampSeconds: number;
  /** 'scene' when the frame was picked (also) because the picture changed abruptly. */
  reason: 'interval' | 'scene';
}

export interface FrameSampleOptions {
  intervalSeconds?: number;
  /** Scene-change score (0..1) above which a frame is picked regardless of the interval. */
  sceneThreshold?: number;
  maxFrames?: number;
  /** Output width; frames are never upscaled, height keeps the aspect ratio. */
  width?: number;
  format?: 'jpg' | 'png';
  /** One JPEG frame taken at `atSeconds`, written to `path` by the same pass. */
  thumbnail?: ThumbnailRequest;
  /** Raw grey frames for a consumer that reads pictures, not files (the watermark detector), from the same pass. */
  luma?: LumaFrameRequest;
  signal?: AbortSignal;
}

export interface ThumbnailRequest {
  atSeconds: number;
  /** Never upscaled; height keeps the aspect ratio. */
  width: number;
  path: string;
}

/** Every `frameStep`-th decoded frame from the start, scaled (area averaging) to exactly width × height 8-bit luma, up to maxFrames. */
export interface LumaFrameRequest {
  width: number;
  height: number;
  maxFrames: number;
  frameStep: number;
  /** Called in decode order with one frame of width × height bytes, which it may keep. */
  consume(frame: Buffer): void;
}

export interface FrameSamplerOptions {
  timeoutMs: number;
}

/**
 * Picks the frames the checks look at, in one decoding pass: the first frame
 * of every interval plus every scene cut. Scene cuts matter because a few
 * inserted frames of unsafe content would otherwise fall between samples.
 * The thumbnail and any raw luma a later check reads come out of the same
 * decode (one ffmpeg, its picture split), so no check decodes the clip again.
 */
export class FrameSampler {
  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly options: FrameSamplerOptions,
  ) {}

  async sample(file: string, outDir: string, options: FrameSampleOptions = {}): Promise<SampledFrame[]> {
    const interval = options.intervalSeconds ?? 1;
    const threshold = options.sceneThreshold ?? 0.4;
    const maxFrames = options.maxFrames ?? 120;
    const width = options.width ?? 512;
    const format = options.format ?? 'jpg';
    if (!(interval > 0) || !(threshold > 0 && threshold <= 1) || !(maxFrames >= 1) || !(width >= 16)) {
      throw new RangeError(
        `invalid sampling options: intervalSeconds=${interval}, sceneThreshold=${threshold}, maxFrames=${maxFrames}, width=${width}`,
      );
    }
    await mkdir(outDir, { recursive: true });
    if ((await readdir(outDir)).some(isFrameFile)) {
      throw new Error(`frame sampling needs a fresh directory, but ${outDir} already holds frames`);
    }

    // A frame is selected when it is the first one in a new interval bucket
    // (counted from t=0, so scene picks do not shift the grid) or a scene cut.
    const select = `select='isnan(prev_selected_t)+gte(floor(t/${interval})-floor(prev_selected_t/${interval})\\,1)+gt(scene\\,${threshold})'`;
    const sampled = [select, 'metadata=mode=print:key=lavfi.scene_score', `scale='min(${width}\\,iw)':-2`, 'showinfo'].join(',');
    const { thumbnail, luma } = options;
    const branches = [`${sampled}[sampled]`];
    if (thumbnail) branches.push(`select='gte(t\\,${thumbnail.atSeconds})',scale='min(${thumbnail.width}\\,iw)':-2[thumbnail]`);
    if (luma) branches.push(`select='not(mod(n\\,${luma.frameStep}))',scale=${luma.width}:${luma.height}:flags=area,format=gray[luma]`);
    const graph = branches.length === 1 ? `[0:v:0]${branches[0]}` : `[0:v:0]split=${branches.length}${branches.map((_, i) => `[in${i}]`).join('')};${branches.map((b, i) => `[in${i}]${b}`).join(';')}`;

    const pattern = join(outDir, `frame-%05d.${format}`);
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'info', '-i', `file:${file}`, '-filter_complex', graph, '-vsync', 'vfr'];
    args.push('-map', '[sampled]', '-an', '-sn', '-dn', '-frames:v', String(maxFrames), '-start_number', '0');
    if (format === 'jpg') args.push('-q:v', '3');
    args.push('-y', `file:${pattern}`);
    if (thumbnail) {
      // A stale file from an earlier run must not pass for this run's output.
      await rm(thumbnail.path, { force: true });
      args.push('-map', '[thumbnail]', '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-y', `file:${thumbnail.path}`);
    }
    if (luma) args.push('-map', '[luma]', '-frames:v', String(luma.maxFrames), '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1');

    const decoder = new FfmpegStream(this.bins.ffmpeg, args, {
      timeoutMs: this.options.timeoutMs,
      signal: options.signal,
      // One showinfo + one metadata line per frame (~600 bytes); keep them all.
      maxStderrBytes: 1024 * 1024 + maxFrames * 2048,
    });
    decoder.endInput();
    try {
      for await (const frame of decoder.frames(luma ? luma.width * luma.height : 1 << 20)) luma?.consume(frame);
      await decoder.done();
    } catch (err) {
      decoder.kill('ABORTED', 'frame sampling failed');
      await decoder.done().catch(() => undefined);
      throw err;
    }
    const stderr = decoder.log();

    const picks = parsePicks(stderr);
    const written = (await readdir(outDir)).filter(isFrameFile).length;
    if (picks.length === 0 || written !== picks.length) {
      throw new MediaProcessError(
        'NO_OUTPUT',
        this.bins.ffmpeg,
        `frame sampling produced ${written} files for ${picks.length} selected frames`,
        0,
        stderr.trimEnd().split('\n').slice(-12).join('\n'),
      );
    }
    if (thumbnail && !(await stat(thumbnail.path).then((s) => s.size > 0, () => false))) {
      throw new MediaProcessError('NO_OUTPUT', this.bins.ffmpeg, `no frame at ${thumbnail.atSeconds} s for the thumbnail (is the clip shorter than that?)`, 0, stderr.trimEnd().split('\n').slice(-12).join('\n'));
    }
    return picks.map((pick, index) => ({
      path: join(outDir, `frame-${String(index).padStart(5, '0')}.${format}`),
      timestampSeconds: pick.timestampSeconds,
      reason: pick.sceneScore > threshold ? 'scene' : 'interval',
    }));
  }
}

function isFrameFile(name: string): boolean {
  return /^frame-\d{5}\.(jpg|png)$/.test(name);
}

/** Pairs each `lavfi.scene_score=` line with the showinfo line that follows it for the same frame. */
function parsePicks(stderr: string): Array<{ timestampSeconds: number; sceneScore: number }> {
  const picks: Array<{ timestampSeconds: number; sceneScore: number }> = [];
  let pendingScore = 0;
  for (const line of stderr.split('\n')) {
    const score = /lavfi\.scene_score=([\d.]+)/.exec(line);
    if (score) {
      pendingScore = Number(score[1]);
      continue;
    }
    const info = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.]+)/.exec(line);
    if (info) {
      picks.push({ timestampSeconds: Number(info[1]), sceneScore: pendingScore });
      pendingScore = 0;
    }
  }
  return picks;
}
