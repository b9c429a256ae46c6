/**
 * Typed failures of the C2PA engine. Each names the problem in its message so
 * a caller can show it as is; `code` lets callers branch without parsing text.
 */
export type C2paErrorCode =
  | 'INPUT_TOO_LARGE'
  | 'INPUT_UNREADABLE'
  | 'INPUT_MISMATCH'
  | 'UNSUPPORTED_MEDIA'
  | 'INVALID_PROVENANCE'
  | 'SIGNING_FAILED'
  | 'CREDENTIALS_INVALID'
  | 'TIMESTAMP_FAILED'
  | 'WORKER_FAILED';

export class C2paError extends Error {
  constructor(
    readonly code: C2paErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'C2paError';
  }
}

/** Refused before any signing work: the wasm signer holds the whole output in memory. */
export class InputTooLargeError extends C2paError {
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super('INPUT_TOO_LARGE', `input is ${bytes} bytes, above the configured signing cap of ${maxBytes} bytes`);
    this.name = 'InputTooLargeError';
  }
}

export class InputUnreadableError extends C2paError {
  constructor(message: string) {
    super('INPUT_UNREADABLE', message);
    this.name = 'InputUnreadableError';
  }
}

/** The file to sign is not the one that was approved. */
export class InputMismatchError extends C2paError {
  constructor(
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super('INPUT_MISMATCH', `input has SHA-256 ${actualSha256}, not the approved ${expectedSha256}; refusing to sign it`);
    this.name = 'InputMismatchError';
  }
}

export class UnsupportedMediaError extends C2paError {
  constructor(message: string) {
    super('UNSUPPORTED_MEDIA', message);
    this.name = 'UnsupportedMediaError';
  }
}

export class InvalidProvenanceError extends C2paError {
  constructor(message: string) {
    super('INVALID_PROVENANCE', message);
    this.name = 'InvalidProvenanceError';
  }
}

export class SigningFailedError extends C2paError {
  constructor(message: string) {
    super('SIGNING_FAILED', message);
    this.name = 'SigningFailedError';
  }
}

/** The signing key or certificate chain cannot be used (unreadable, mismatched, wrong profile). */
export class CredentialsInvalidError extends C2paError {
  constructor(message: string) {
    super('CREDENTIALS_INVALID', message);
    this.name = 'CredentialsInvalidError';
  }
}

export class TimestampFailedError extends C2paError {
  constructor(message: string) {
    super('TIMESTAMP_FAILED', message);
    this.name = 'TimestampFailedError';
  }
}

/** The wasm worker crashed, timed out or could not start. */
export class WorkerFailedError extends C2paError {
  constructor(message: string) {
    super('WORKER_FAILED', message);
    this.name = 'WorkerFailedError';
  }
}
