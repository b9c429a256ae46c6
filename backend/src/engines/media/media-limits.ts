import { ProbedMedia } from './media-prober';

export interface MediaLimits {
  maxBytes: number;
  maxDurationSeconds: number;
  maxWidth: number;
  maxHeight: number;
  /** Frames per second. Decoding and marking cost scales with frames, not bytes: a tiny clip at 500 fps costs more than a normal one. */
  maxFrameRate: number;
  /** width × height × frame rate: bounds the work per second of video whatever the mix of size and rate. */
  maxPixelsPerSecond: number;
  containers: string[];
  videoCodecs: string[];
  /** Allowed audio codecs; a clip without audio is always allowed. */
  audioCodecs: string[];
}

export const DEFAULT_MEDIA_LIMITS: Readonly<MediaLimits> = Object.freeze({
  maxBytes: 512 * 1024 * 1024,
  maxDurationSeconds: 120,
  maxWidth: 3840,
  maxHeight: 3840,
  maxFrameRate: 60,
  // 4K at 30 fps.
  maxPixelsPerSecond: 3840 * 2160 * 30,
  containers: ['mp4', 'mov'],
  videoCodecs: ['h264', 'hevc', 'av1'],
  audioCodecs: ['aac', 'opus'],
});

/** Returns null when the media is within limits, else a sentence naming the first violated limit. */
export function checkMediaLimits(probed: ProbedMedia, limits: MediaLimits): string | null {
  if (probed.bytes > limits.maxBytes) {
    return `file size ${probed.bytes} bytes exceeds the limit of ${limits.maxBytes} bytes`;
  }
  if (probed.durationSeconds > limits.maxDurationSeconds) {
    return `duration ${round(probed.durationSeconds)} s exceeds the limit of ${limits.maxDurationSeconds} s`;
  }
  if (probed.width > limits.maxWidth || probed.height > limits.maxHeight) {
    return `resolution ${probed.width}x${probed.height} exceeds the limit of ${limits.maxWidth}x${limits.maxHeight}`;
  }
  if (probed.frameRate > limits.maxFrameRate) {
    return `frame rate ${round(probed.frameRate)} fps exceeds the limit of ${limits.maxFrameRate} fps`;
  }
  const pixelsPerSecond = Math.round(probed.width * probed.height * probed.frameRate);
  if (pixelsPerSecond > limits.maxPixelsPerSecond) {
    return `pixel rate ${pixelsPerSecond} pixels/s (${probed.width}x${probed.height} at ${round(probed.frameRate)} fps) exceeds the limit of ${limits.maxPixelsPerSecond} pixels/s`;
  }
  if (!limits.containers.includes(probed.container)) {
    return `container ${probed.container} is not allowed (allowed: ${limits.containers.join(', ')})`;
  }
  if (!limits.videoCodecs.includes(probed.videoCodec)) {
    return `video codec ${probed.videoCodec} is not allowed (allowed: ${limits.videoCodecs.join(', ')})`;
  }
  if (probed.audioCodec !== null && !limits.audioCodecs.includes(probed.audioCodec)) {
    return `audio codec ${probed.audioCodec} is not allowed (allowed: ${limits.audioCodecs.join(', ')}, or no audio)`;
  }
  return null;
}

function round(seconds: number): number {
  return Math.round(seconds * 100) / 100;
}
