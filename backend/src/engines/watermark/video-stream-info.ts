import { type FfmpegBinaries, MediaProcessError, runProcess } from '../media';
import { WatermarkInputError } from './watermark-errors';

export interface VideoStreamInfo {
  width: number;
  height: number;
  /** ffprobe's r_frame_rate as a rational ("30000/1001"), for ffmpeg options. */
  frameRate: string;
  frameRateValue: number;
  /** 0 when the container does not say (a still image, a raw stream). */
  durationSeconds: number;
  hasAudio: boolean;
}

interface ProbedStream {
  codec_type?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  disposition?: { attached_pic?: number };
}

/**
 * The first video stream's geometry and rate. Unlike MediaProber this takes
 * any container ffmpeg reads, stills included: the detector must also read
 * a frame someone saved as a JPEG, or a clip re-muxed to MKV.
 */
export async function probeVideoStream(bins: FfmpegBinaries, file: string, timeoutMs: number, signal?: AbortSignal): Promise<VideoStreamInfo> {
  let stdout: Buffer;
  try {
    ({ stdout } = await runProcess(bins.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `file:${file}`], {
      timeoutMs,
      signal,
      maxStdoutBytes: 4 * 1024 * 1024,
    }));
  } catch (err) {
    if (err instanceof MediaProcessError && err.code === 'EXIT') {
      const detail = (err.stderrTail.split('\n').pop() ?? '').replace(/^(\[[^\]]+\]\s*)+/, '').trim();
      throw new WatermarkInputError('NOT_VIDEO', `${file} is not a readable video${detail ? ` (${detail})` : ''}`);
    }
    throw err;
  }
  let parsed: { streams?: ProbedStream[]; format?: { duration?: string } };
  try {
    parsed = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new WatermarkInputError('NOT_VIDEO', `${file} is not a readable video (no stream information)`);
  }
  const streams = parsed.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video || !(Number(video.width) > 0) || !(Number(video.height) > 0)) {
    throw new WatermarkInputError('NOT_VIDEO', `${file} has no video stream`);
  }
  const rate = [video.r_frame_rate, video.avg_frame_rate].find((r) => rateValue(r) > 0) ?? '25/1';
  const duration = Number.parseFloat(parsed.format?.duration ?? '');
  return {
    width: Number(video.width),
    height: Number(video.height),
    frameRate: rate,
    frameRateValue: rateValue(rate),
    durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : 0,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}

function rateValue(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  return Number.isFinite(num) && Number.isFinite(den) && den > 0 && num > 0 ? num / den : 0;
}
