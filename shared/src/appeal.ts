import type { ClipState } from './clip-state';
import type { ModerationStageResult } from './moderation';

/**
 * A creator's appeal of a prompt blocked before generation: filed once, with
 * a written reason, and granted (the prompt goes on to generation, then to a
 * four-eyes review round, as an overridden block does) or denied by a senior
 * reviewer, with a reason code and a written note.
 */
export const APPEAL_DECISIONS = ['grant', 'deny'] as const;
export type AppealDecisionKind = (typeof APPEAL_DECISIONS)[number];

export const APPEAL_STATUSES = ['pending', 'granted', 'denied'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** Length bounds of an appeal's reason and of a decision's note (plain text). */
export const APPEAL_TEXT_LIMITS = { min: 10, max: 2000 } as const;

/** `POST /api/v1/clips/{id}/appeal` (the clip's submitter). */
export interface AppealRequest {
  reason: string;
}

/** `POST /api/v1/review/appeals/{clipId}` (senior_reviewer). */
export interface AppealDecisionRequest {
  decision: AppealDecisionKind;
  /** A code of this decision from APPEAL_REASON_CODES. */
  reasonCode: string;
  /** Written justification; kept out of the audit log (which stores its hash). */
  note: string;
}

/** The appeal as its clip shows it. */
export interface ClipAppealDto {
  status: AppealStatus;
  appealedAt: string;
  /** The creator's written reason; null once erased. */
  reason: string | null;
  decision: {
    decision: AppealDecisionKind;
    reasonCode: string;
    reasonLabel: string | null;
    reasonCatalogVersion: string;
    /** Who decided: shown to staff only. */
    deciderId: string | null;
    at: string;
  } | null;
}

/** One entry of `GET /api/v1/review/appeals`: the appeal with the clip and the moderation evidence that blocked it. */
export interface PromptAppealDto {
  clipId: string;
  state: ClipState;
  prompt: string | null;
  submittedBy: string;
  /** Why the prompt was blocked, as the clip records it. */
  blockReason: string | null;
  /** The prompt moderation stage's result: categories, scores, thresholds and matched text. */
  moderation: ModerationStageResult | null;
  appeal: ClipAppealDto;
}

/** Answer to filing or deciding an appeal. */
export interface AppealResultDto {
  clipId: string;
  status: AppealStatus;
  /** The clip's state afterwards: still BLOCKED, or GENERATING once granted. */
  state: ClipState;
}

/** Pushed over server-sent events when an appeal is filed or decided. */
export interface AppealEventDto {
  status: AppealStatus;
}
