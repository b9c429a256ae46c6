export type WatermarkInputErrorCode =
  | 'MISSING_KEY'
  | 'BAD_KEY'
  | 'BAD_PAYLOAD'
  | 'NOT_VIDEO'
  | 'NO_FRAMES'
  | 'TOO_SMALL'
  | 'BAD_OPTIONS'
  | 'NO_FONT';

/**
 * The caller's input is unusable (wrong key, payload, file or option):
 * retrying will not help. Tool failures (ffmpeg timeout, crash) stay
 * MediaProcessError from the media engine.
 */
export class WatermarkInputError extends Error {
  constructor(
    readonly code: WatermarkInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WatermarkInputError';
  }
}
