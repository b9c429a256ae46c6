export type ReferenceImageType = 'image/png' | 'image/jpeg' | 'image/webp';

export interface GenerationRequest {
  prompt: string;
  referenceImage?: { path: string; mimeType: ReferenceImageType };
  /** Written atomically: the file appears complete or not at all. */
  outputPath: string;
  signal?: AbortSignal;
}

export interface GenerationResult {
  provider: string;
  model: string;
  providerJobId: string | null;
  seconds: number;
  width: number;
  height: number;
}

export interface GenerationProvider {
  readonly name: string;
  generate(req: GenerationRequest): Promise<GenerationResult>;
}

/**
 * PROVIDER_FAILED: the provider ran the job and it failed.
 * CONTENT_REJECTED: the provider refused the prompt or image on policy grounds.
 * INVALID_REQUEST: our request is unusable (bad reference image, rejected parameters).
 * HTTP: transport or HTTP status failure talking to the provider.
 */
export type GenerationErrorCode = 'PROVIDER_FAILED' | 'TIMEOUT' | 'HTTP' | 'CONTENT_REJECTED' | 'INVALID_REQUEST' | 'ABORTED';

export class GenerationError extends Error {
  constructor(
    readonly code: GenerationErrorCode,
    message: string,
    /** Whether the same request may succeed if tried again later. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GenerationError';
  }
}
