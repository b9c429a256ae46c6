/**
 * Versioned catalog of reason codes. A code is never reused with another
 * meaning; retired codes stay listed with `retired: true`.
 */
export const REASON_CATALOG_VERSION = '2026-11-26.1';

export interface ReasonCode {
  code: string;
  label: string;
  retired?: boolean;
}

/** Why the pipeline stopped a clip (FAILED or BLOCKED). */
export const FAILURE_REASONS = {
  MEDIA_UNREADABLE: 'media file could not be read or is not a supported video',
  MEDIA_LIMIT_EXCEEDED: 'media file is outside the configured limits',
  GENERATION_FAILED: 'the generation provider reported a failure',
  GENERATION_TIMEOUT: 'the generation provider did not finish in time',
  STAGE_RETRIES_EXHAUSTED: 'a pipeline stage kept failing after all retries',
  STAGE_STALLED: 'a pipeline stage stalled repeatedly',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;
