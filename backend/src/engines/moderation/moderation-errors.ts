export type ModerationInputErrorCode =
  | 'EMPTY_TEXT'
  | 'TEXT_TOO_LONG'
  | 'BINARY_TEXT'
  | 'IMAGE_UNREADABLE'
  | 'NOT_AN_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'VIDEO_UNREADABLE';

const HTTP_STATUS: Record<ModerationInputErrorCode, number> = {
  EMPTY_TEXT: 400,
  TEXT_TOO_LONG: 413,
  BINARY_TEXT: 400,
  IMAGE_UNREADABLE: 422,
  NOT_AN_IMAGE: 415,
  IMAGE_TOO_LARGE: 413,
  VIDEO_UNREADABLE: 422,
};

/** The input itself cannot be moderated; retrying will not help. */
export class ModerationInputError extends Error {
  readonly httpStatus: number;
  constructor(
    readonly code: ModerationInputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModerationInputError';
    this.httpStatus = HTTP_STATUS[code];
  }
}

export type ModerationProviderErrorCode =
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'AUTH'
  | 'REJECTED'
  | 'BAD_RESPONSE'
  | 'LOCAL_MODEL';

/**
 * A provider could not produce scores. `retryable` tells the job runner
 * whether another attempt may succeed (rate limit, 5xx, timeout) or not
 * (bad credentials, a request the provider refuses).
 */
export class ModerationProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly code: ModerationProviderErrorCode,
    readonly retryable: boolean,
    message: string,
    /** From the provider's retry-after header, when it sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ModerationProviderError';
  }
}
