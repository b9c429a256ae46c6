import type { ClipState } from './clip-state';
import type { Role } from './roles';

/** What a reviewer can decide about a clip they hold a claim on. */
export const REVIEW_DECISIONS = ['approve', 'reject', 'escalate'] as const;
export type ReviewDecisionKind = (typeof REVIEW_DECISIONS)[number];

/** Queue priorities, most urgent first. Flagged, escalated and overridden clips are `high`. */
export const REVIEW_PRIORITIES = ['high', 'normal'] as const;
export type ReviewPriority = (typeof REVIEW_PRIORITIES)[number];

/** Roles that claim clips and decide on them. A second approval of a flagged or escalated clip needs `senior_reviewer`. */
export const REVIEWER_ROLES: readonly Role[] = ['reviewer', 'senior_reviewer'];

/** Why a clip is (again) in review: the pipeline finished, a senior reviewer overrode a block, or an admin reopened a rejection. */
export type ReviewCause = 'pipeline' | 'blocked_override' | 'rejection_reopen';

/** `POST /api/v1/review/claim`: an empty body claims the next clip in the queue. */
export interface ClaimReviewRequest {
  clipId?: string;
}

/** Answer to a claim or a heartbeat. */
export interface ReviewClaimDto {
  clipId: string;
  leaseExpiresAt: string;
}

/** `POST /api/v1/review/{clipId}/decision`. */
export interface ReviewDecisionRequest {
  decision: ReviewDecisionKind;
  /** A code of this decision from REVIEW_REASON_CODES. */
  reasonCode: string;
  note?: string;
}

export interface ReviewDecisionResultDto {
  clipId: string;
  decision: ReviewDecisionKind;
  /** The clip's state after the decision (APPROVED moves on to SIGNING and RELEASED by itself). */
  state: ClipState;
  /** Approvals in this review round, including this one. */
  approvals: number;
  approvalsNeeded: number;
  /** True when the decision ended the review round (approved or rejected). */
  final: boolean;
}

/** `POST /api/v1/review/{clipId}/override` (senior_reviewer, BLOCKED clips) and `/reopen` (admin, REJECTED clips). */
export interface ReviewReopenRequest {
  /** Written justification; kept out of the audit log (which stores its hash). */
  reason: string;
}

export interface ReviewReopenResultDto {
  clipId: string;
  state: ClipState;
  /** The new review round the clip entered. */
  round: number;
}

export interface ReviewQueueItemDto {
  clipId: string;
  priority: ReviewPriority;
  dueAt: string;
  overdue: boolean;
  /** When the clip entered review in this round: the queue's age order. */
  enqueuedAt: string;
  round: number;
  cause: ReviewCause;
  flagged: boolean;
  escalated: boolean;
  approvals: number;
  approvalsNeeded: number;
  /** The remaining approval must come from a senior_reviewer. */
  seniorApprovalNeeded: boolean;
  /** The current live claim, if any. */
  claim: { reviewerId: string; leaseExpiresAt: string } | null;
}

/** One recorded decision. Reviewer ids are shown to staff only; notes are never part of this DTO. */
export interface ReviewDecisionDto {
  round: number;
  decision: ReviewDecisionKind;
  reasonCode: string;
  reasonCatalogVersion: string;
  reviewerId: string | null;
  senior: boolean;
  at: string;
}

/** The review side of a clip, on ClipDto. */
export interface ClipReviewDto {
  round: number;
  cause: ReviewCause;
  priority: ReviewPriority;
  dueAt: string;
  open: boolean;
  fourEyes: boolean;
  approvals: number;
  approvalsNeeded: number;
  decisions: ReviewDecisionDto[];
}

/**
 * What the release step did: the released file is the approved (watermarked)
 * file with its C2PA manifest embedded, so `signed` is true for every
 * released clip; `note` is kept for a plain statement about the release.
 */
export interface ReleaseDto {
  /** SHA-256 of the file served by GET /api/v1/clips/{id}/download. */
  sha256: string;
  signed: boolean;
  note: string | null;
  releasedAt: string;
}

/** Sent on the clip event stream with a decision (creators see their own clips' decisions). */
export interface ReviewEventDto {
  decision: ReviewDecisionKind;
  reasonCode: string;
  final: boolean;
}

/** Outcomes a creator's integration can subscribe to, one per clip state. */
export const WEBHOOK_EVENTS = ['clip.approved', 'clip.rejected', 'clip.released', 'clip.blocked', 'clip.failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_BY_STATE: Partial<Record<ClipState, WebhookEvent>> = {
  APPROVED: 'clip.approved',
  REJECTED: 'clip.rejected',
  RELEASED: 'clip.released',
  BLOCKED: 'clip.blocked',
  FAILED: 'clip.failed',
};

/** Header carrying `sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-provenant-signature';
export const WEBHOOK_DELIVERY_HEADER = 'x-provenant-delivery';
export const WEBHOOK_EVENT_HEADER = 'x-provenant-event';

/** `POST /api/v1/webhooks`. With an API key it covers that key's clips; with a user token, all the user's clips. */
export interface CreateWebhookRequest {
  url: string;
  /** Defaults to every event. */
  events?: WebhookEvent[];
}

export interface WebhookDto {
  id: string;
  url: string;
  events: WebhookEvent[];
  scope: 'user' | 'api_key';
  createdAt: string;
}

export interface CreatedWebhookDto extends WebhookDto {
  /** Shown once: the HMAC key for verifying signatures. */
  secret: string;
}

export interface WebhookAttemptDto {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDeliveryDto {
  id: string;
  event: WebhookEvent;
  clipId: string;
  status: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  deliveredAt: string | null;
  attempts: WebhookAttemptDto[];
}

/** The JSON body POSTed to a webhook; `id` is the delivery id, the same on every retry. */
export interface WebhookPayload {
  id: string;
  event: WebhookEvent;
  clipId: string;
  state: ClipState;
  occurredAt: string;
  /** The decision's reason code for clip.approved / clip.rejected. */
  reasonCode: string | null;
  /** For clip.blocked and clip.failed. */
  failureReason: string | null;
  release: ReleaseDto | null;
}
