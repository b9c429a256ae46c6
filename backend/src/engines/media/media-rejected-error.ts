export type MediaRejectionCode =
  | 'EMPTY'
  | 'NOT_MP4'
  | 'TRUNCATED'
  | 'MALFORMED'
  | 'UNREADABLE'
  | 'NO_VIDEO'
  | 'DIMENSIONS'
  | 'DURATION';

/**
 * The file itself is unacceptable (as opposed to a tool failure such as a
 * timeout): retrying will not help. `reason` is a short sentence fit to show
 * to the person who uploaded the file.
 */
export class MediaRejectedError extends Error {
  constructor(
    readonly code: MediaRejectionCode,
    readonly reason: string,
  ) {
    super(`media rejected: ${reason}`);
    this.name = 'MediaRejectedError';
  }
}
