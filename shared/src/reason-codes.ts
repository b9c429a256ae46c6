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
  RELEASE_MEDIA_MISMATCH: 'the file to release is not the file that was approved',
  WATERMARK_FAILED: 'the clip could not be watermarked',
  SIGNING_INPUT_TOO_LARGE: 'the file to sign is larger than the configured signing cap',
  SIGNING_FAILED: 'the clip could not be signed with C2PA credentials',
} as const;
export type FailureReason = keyof typeof FAILURE_REASONS;

/**
 * Why a reviewer approved, rejected or escalated a clip. A decision names one
 * code of its kind; the version it was taken under is stored with it.
 */
export const REVIEW_REASON_CATALOG_VERSION = '2026-11-27.1';

export const REVIEW_REASON_CODES = {
  approve: [
    { code: 'APPROVE_POLICY_COMPLIANT', label: 'meets the content policy' },
    { code: 'APPROVE_FLAG_FALSE_POSITIVE', label: 'the automated flag was a false positive' },
    { code: 'APPROVE_OVERRIDE_JUSTIFIED', label: 'the block was overridden for a documented reason' },
  ],
  reject: [
    { code: 'REJECT_SEXUAL_CONTENT', label: 'sexual content outside policy' },
    { code: 'REJECT_MINOR_SAFETY', label: 'sexualises or endangers minors' },
    { code: 'REJECT_VIOLENCE', label: 'graphic or glorified violence' },
    { code: 'REJECT_HATE_HARASSMENT', label: 'hate or harassment' },
    { code: 'REJECT_SELF_HARM', label: 'promotes self-harm' },
    { code: 'REJECT_LIKENESS', label: 'depicts a real person without consent' },
    { code: 'REJECT_COPYRIGHT', label: 'reproduces protected work' },
    { code: 'REJECT_DECEPTIVE', label: 'deceptive or likely to mislead (e.g. fake news footage)' },
    { code: 'REJECT_ILLEGAL_ACTIVITY', label: 'depicts or instructs illegal activity' },
    { code: 'REJECT_QUALITY', label: 'broken or unusable media' },
    { code: 'REJECT_OTHER_POLICY', label: 'other policy violation (explained in the note)' },
  ],
  escalate: [
    { code: 'ESCALATE_UNCERTAIN', label: 'reviewer is uncertain; needs a second opinion' },
    { code: 'ESCALATE_POSSIBLE_LIKENESS', label: 'may depict a real person' },
    { code: 'ESCALATE_POSSIBLE_MINOR', label: 'may involve a minor' },
    { code: 'ESCALATE_LEGAL', label: 'needs legal or policy input' },
  ],
} as const satisfies Record<'approve' | 'reject' | 'escalate', readonly ReasonCode[]>;

export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[keyof typeof REVIEW_REASON_CODES][number]['code'];

/** The catalog entry for a decision's reason code, or null when the code is not one of that decision's codes. */
export function reviewReason(decision: keyof typeof REVIEW_REASON_CODES, code: string): ReasonCode | null {
  const entry: ReasonCode | undefined = REVIEW_REASON_CODES[decision].find((r: ReasonCode) => r.code === code);
  return entry ?? null;
}

/**
 * Why a senior reviewer granted or denied a creator's appeal of a prompt
 * block. Versioned like the review codes; a code is never reused.
 */
export const APPEAL_REASON_CATALOG_VERSION = '2026-12-03.1';

export const APPEAL_REASON_CODES = {
  grant: [
    { code: 'GRANT_FALSE_POSITIVE', label: 'the prompt block was a false positive' },
    { code: 'GRANT_LEGITIMATE_CONTEXT', label: 'a legitimate context (sport, news, education, fiction) the check cannot see' },
  ],
  deny: [
    { code: 'DENY_BLOCK_CORRECT', label: 'the block was right under the content policy' },
    { code: 'DENY_REWRITE_NEEDED', label: 'the intent may be acceptable, but this prompt must be rewritten' },
    { code: 'DENY_OTHER_POLICY', label: 'other policy reason (explained in the note)' },
  ],
} as const satisfies Record<'grant' | 'deny', readonly ReasonCode[]>;

/** The catalog entry for an appeal decision's reason code, or null when the code is not one of that decision's codes. */
export function appealReason(decision: keyof typeof APPEAL_REASON_CODES, code: string): ReasonCode | null {
  const entry: ReasonCode | undefined = APPEAL_REASON_CODES[decision].find((r: ReasonCode) => r.code === code);
  return entry ?? null;
}
