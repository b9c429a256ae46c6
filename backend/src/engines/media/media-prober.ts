import { stat } from 'node:fs/promises';
import { FfmpegBinaries } from './ffmpeg-binaries';
import { MediaRejectedError } from './media-rejected-error';
import { readMp4Structure } from './mp4-structure';
import { MediaProcessError, runProcess } from './run-process';

export interface ProbedMedia {
  /** 'mp4' or 'mov' for ISO-BMFF files, otherwise ffprobe's format name. */
  container: string;
  /** ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  formatName: string;
  /** The ftyp major brand, e.g. 'isom', 'mp42', 'qt  '. */
  majorBrand: string;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  frameRate: number;
  bytes: number;
  hasVideo: boolean;
}

export interface MediaProberOptions {
  timeoutMs: number;
}

// Plausibility bounds, not policy (policy lives in MediaLimits): beyond these
// a header is lying or built to make a decoder allocate gigabytes.
const MAX_SIDE = 16384;
const MAX_PIXELS = 80_000_000;

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

/**
 * Identifies an uploaded or generated video. Our own container check runs
 * first so that ffprobe only ever sees files that at least look like
 * complete MP4/MOV files. Rejections are MediaRejectedError; tool failures
 * (timeout, missing binary) stay MediaProcessError, since retrying may help.
 */
export class MediaProber {
  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly options: MediaProberOptions,
  ) {}

  async probe(file: string, signal?: AbortSignal): Promise<ProbedMedia> {
    const { size: bytes } = await stat(file);
    const structure = await readMp4Structure(file);
    for (const declared of structure.declaredVideoDimensions) {
      assertPlausibleDimensions(declared.width, declared.height, `its ${declared.source} header claims`);
    }

    const probed = await this.runFfprobe(file, signal);
    const formatName = probed.format?.format_name ?? '';
    const streams = probed.streams ?? [];
    // Cover art in an audio file shows up as a one-frame "video" stream.
    const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
    if (!video) throw new MediaRejectedError('NO_VIDEO', 'the file has no video stream');
    const audio = streams.find((s) => s.codec_type === 'audio');

    const width = video.width ?? 0;
    const height = video.height ?? 0;
    if (width <= 0 || height <= 0) throw new MediaRejectedError('DIMENSIONS', 'the video stream has no dimensions');
    assertPlausibleDimensions(width, height, 'its video stream is');

    const durationSeconds = Number.parseFloat(probed.format?.duration ?? video.duration ?? '');
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
      throw new MediaRejectedError('DURATION', 'the file has no usable duration');
    }

    return {
      container: formatName.split(',').includes('mov') ? (structure.majorBrand === 'qt  ' ? 'mov' : 'mp4') : formatName,
      formatName,
      majorBrand: structure.majorBrand,
      durationSeconds,
      width,
      height,
      videoCodec: video.codec_name ?? 'unknown',
      audioCodec: audio?.codec_name ?? null,
      frameRate: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
      bytes,
      hasVideo: true,
    };
  }

  private async runFfprobe(file: string, signal?: AbortSignal): Promise<FfprobeOutput> {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `file:${file}`];
    let stdout: Buffer;
    try {
      ({ stdout } = await runProcess(this.bins.ffprobe, args, {
        timeoutMs: this.options.timeoutMs,
        signal,
        maxStdoutBytes: 4 * 1024 * 1024,
      }));
    } catch (err) {
      if (err instanceof MediaProcessError && err.code === 'EXIT') {
        const detail = stripLogPrefix(err.stderrTail.split('\n').pop() ?? '').replace(`file:${file}: `, '');
        throw new MediaRejectedError('UNREADABLE', `the file could not be read as video (${detail || `exit code ${err.exitCode}`})`);
      }
      if (err instanceof MediaProcessError && err.code === 'OUTPUT_LIMIT') {
        throw new MediaRejectedError('MALFORMED', 'the file describes an implausible amount of metadata');
      }
      throw err;
    }
    try {
      return JSON.parse(stdout.toString('utf8')) as FfprobeOutput;
    } catch {
      throw new MediaRejectedError('UNREADABLE', 'the file could not be read as video (ffprobe gave no metadata)');
    }
  }
}

function assertPlausibleDimensions(width: number, height: number, claim: string): void {
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new MediaRejectedError(
      'DIMENSIONS',
      `${claim} ${width}x${height}, beyond any plausible video (max ${MAX_SIDE} per side, ${MAX_PIXELS / 1e6} megapixels)`,
    );
  }
}

function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  return Number.isFinite(num) && Number.isFinite(den) && den > 0 ? num / den : 0;
}

/** "[mov,mp4 @ 0x55d…] moov atom not found" → "moov atom not found". */
function stripLogPrefix(line: string): string {
  return line.replace(/^(\[[^\]]+\]\s*)+/, '').trim();
}
