import type { ApiErrorDto } from '@provenant/shared';

/** A failed API call, carrying the message the server gave (or a plain one when it gave none). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Builds the error from a non-2xx response, preferring the server's own `message`. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const fallback = `Request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ''})`;
    let body: Partial<ApiErrorDto> | null = null;
    try {
      body = (await response.json()) as Partial<ApiErrorDto>;
    } catch {
      // Not JSON (a proxy error page, an empty body): the status line is all we have.
    }
    // Validation errors may arrive as a list of messages.
    const message: unknown = body?.message;
    const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : '';
    return new ApiError(response.status, text || fallback);
  }

  /** Turns anything thrown by fetch or a handler into a sentence for the screen. */
  static describe(error: unknown): string {
    if (error instanceof ApiError) return error.message;
    if (error instanceof TypeError) return 'The server could not be reached. Check your connection and try again.';
    return error instanceof Error ? error.message : String(error);
  }
}
