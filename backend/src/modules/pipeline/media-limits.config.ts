import type { AppConfig } from '../../config/app-config';
import type { MediaLimits } from '../../engines/media';

export function mediaLimitsFrom(cfg: AppConfig): MediaLimits {
  return {
    maxBytes: cfg.MAX_UPLOAD_BYTES,
    maxDurationSeconds: cfg.MAX_DURATION_SECONDS,
    maxWidth: cfg.MAX_WIDTH,
    maxHeight: cfg.MAX_HEIGHT,
    maxFrameRate: cfg.MAX_FRAME_RATE,
    maxPixelsPerSecond: cfg.MAX_PIXELS_PER_SECOND,
    containers: cfg.ALLOWED_CONTAINERS,
    videoCodecs: cfg.ALLOWED_VIDEO_CODECS,
    audioCodecs: cfg.ALLOWED_AUDIO_CODECS,
  };
}
