import type { AppealDecisionKind } from './appeal';
import type { CheckKind, CheckVerdict, StageName } from './checks';
import type { ClipState } from './clip-state';
import type { ClipSource } from './dto';
import type { LikenessSubjectKind } from './likeness';
import type { ModerationPolicyDto } from './moderation';
import type { C2paState, OriginRecovery, VerifyReleaseDto } from './provenance';
import type { ReviewCause, ReviewDecisionKind, ReviewPriority } from './review';
import type { Role } from './roles';
import type { AuditProblemKind } from './audit';

/**
 * Every action the audit log records, with its subject type and body. This
 * is the one catalogue: appending an action that is not listed here, or a
 * body of the wrong shape, does not compile. Bodies hold ids, hashes, counts
 * and codes only; personal data stays in erasable tables.
 */
export interface AuditCatalogue {
  'clip.submitted': { subject: 'clip'; body: { source: ClipSource; promptSha256: string | null; mediaSha256: string | null; referenceImageSha256: string | null } };
  'clip.transition': { subject: 'clip'; body: ClipTransitionBody };
  'clip.downloaded': { subject: 'clip'; body: { sha256: string; signed: boolean; bytes: number } };
  /** The review media route began serving a viewing (a request for the whole file or from its first byte; the seeks after it are not recorded). */
  'clip.media_viewed': { subject: 'clip'; body: { sha256: string; bytes: number; state: ClipState } };
  'clip.verified': { subject: 'clip'; body: VerificationBody };
  'verify.unknown': { subject: 'file'; body: VerificationBody };
  'stage.completed': {
    subject: 'clip';
    /** `late`: the clip had left the stage's phase (another stage blocked it); recorded here only, it moved nothing and is no stage result. */
    body: { stage: StageName; check: CheckKind | null; verdict: CheckVerdict; attempts: number; mediaSha256: string | null; late?: true };
  };
  'pipeline.redriven': { subject: 'clip'; body: { stage: StageName; reason: string } };
  'review.queued': { subject: 'clip'; body: { round: number; cause: ReviewCause; priority: ReviewPriority; fourEyes: boolean; dueAt: string } };
  'review.claimed': { subject: 'clip'; body: { round: number; leaseExpiresAt: string; how: 'next' | 'given' } };
  /** `accountDisabled`: the claim was taken back because its holder's account was disabled or erased. */
  'review.claim_returned': { subject: 'clip'; body: { round: number; accountDisabled?: true } };
  'review.decision': { subject: 'clip'; body: ReviewDecisionBody };
  'review.block_overridden': { subject: 'clip'; body: { round: number; reasonSha256: string } };
  'review.reopened': { subject: 'clip'; body: { round: number; reasonSha256: string } };
  /** The submitter appealed their prompt's block; the reason stays in prompt_appeals (erasable). */
  'clip.appealed': { subject: 'clip'; body: { reasonSha256: string } };
  /** A senior reviewer decided an appeal; granted, the clip resumes at generation and `round` is the four-eyes round it leads to. */
  'review.appeal_decided': { subject: 'clip'; body: { decision: AppealDecisionKind; reasonCode: string; reasonCatalogVersion: string; noteSha256: string; round: number | null } };
  /** A subject entered the likeness registry. Names stay in the registry (erasable); the log holds their hash. */
  'likeness.subject_registered': { subject: 'likeness_subject'; body: { kind: LikenessSubjectKind; userId: string | null; namesSha256: string } };
  /** A subject and its names and grants were deleted from the registry. */
  'likeness.subject_erased': { subject: 'likeness_subject'; body: { kind: LikenessSubjectKind; grantsErased: number } };
  /** A face template was enrolled for a subject; the image is not kept, only its hash. */
  'likeness.template_enrolled': { subject: 'likeness_subject'; body: { templateId: string; imageSha256: string; modelVersion: string } };
  'likeness.grant_given': { subject: 'likeness_subject'; body: { grantId: string; creatorId: string | null; everyone: boolean; until: string | null } };
  'likeness.grant_revoked': { subject: 'likeness_subject'; body: { grantId: string } };
  'auth.login': { subject: 'user'; body: Record<string, never> };
  /** A refresh token rotated within its family (one login's chain of tokens). */
  'auth.refresh': { subject: 'user'; body: { familyId: string } };
  /** A refresh token already rotated was presented again: the family is revoked. Actor is `anonymous`: whoever replayed it is unknown. */
  'auth.refresh_reused': { subject: 'user'; body: { familyId: string; refreshTokenId: string } };
  'auth.logout': { subject: 'user'; body: { familyId: string } };
  /**
   * Failed sign-ins reached the limit for an account or a client network, which is refused until `lockedUntil`.
   * Recorded once per lockout, not per failed attempt. Subject: the user, or for an unknown e-mail and for a
   * client network their HMAC pseudonym (never the e-mail or address). Actor is `anonymous`.
   */
  'auth.lockout': {
    subject: 'user' | 'email_hmac' | 'client_address_hmac';
    body: { scope: 'account' | 'client_address'; failures: number; lockedUntil: string };
  };
  'user.created': { subject: 'user'; body: { roles: Role[] } };
  'user.personal_data_erased': { subject: 'user'; body: { clipsErased: number } };
  /** Disabling ends every session: refresh tokens, API keys and review claims are revoked in the same transaction. */
  'user.disabled': { subject: 'user'; body: { refreshTokensRevoked: number; apiKeysRevoked: number; claimsReturned: number } };
  'user.enabled': { subject: 'user'; body: Record<string, never> };
  'user.roles_changed': { subject: 'user'; body: { roles: Role[]; previousRoles: Role[] } };
  'apikey.created': { subject: 'api_key'; body: { userId: string } };
  'apikey.revoked': { subject: 'api_key'; body: Record<string, never> };
  'webhook.created': { subject: 'webhook'; body: { scope: 'user' | 'api_key'; events: string[]; urlSha256: string } };
  'webhook.deleted': { subject: 'webhook'; body: Record<string, never> };
  /** A pending delivery whose job Redis no longer had was handed to the delivery queue again. */
  'webhook.delivery_redispatched': { subject: 'webhook'; body: { deliveryId: string; clipId: string; reason: string } };
  'moderation.policy_changed': {
    subject: 'moderation_policy';
    body: { version: string; sha256: string; previousVersion: ModerationPolicyDto['version']; previousSha256: string };
  };
  /** Requests the role guard refused, counted per caller and route over ACCESS_DENIED_FLUSH_MS rather than one row each. */
  'access.denied': { subject: 'user' | 'api_key'; body: { method: string; route: string; count: number; firstAt: string; lastAt: string } };
  /** A compliance search of this log or a clip's timeline: who looked for what. */
  'audit.searched': { subject: 'audit_log'; body: { clipId: string | null; actor: string | null; action: string | null; from: string | null; to: string | null; cursor: string | null } };
  'audit.exported': { subject: 'audit_log'; body: { firstSeq: number; lastSeq: number; proofTreeSize: number } };
  'audit.verified': {
    subject: 'audit_log';
    body: { ok: boolean; checkedEvents: number; signedTreeSize: number; problem: { seq: number | null; kind: AuditProblemKind; message: string } | null };
  };
}

/** A change of lifecycle state, with what the transition's caller knew about it. */
export interface ClipTransitionBody {
  from: ClipState;
  to: ClipState;
  reason: string | null;
  /** Stages that run in the phase entered. */
  stagesInPhase?: StageName[];
  note?: string | null;
  /** Entering RELEASED: what the release gate recorded. */
  releasedSha256?: string;
  signed?: boolean;
  /** Leaving review. */
  round?: number;
  reasonCode?: string;
  approvals?: number;
  /** Back into review or the pipeline by a person (override, reopen). */
  cause?: ReviewCause;
  reasonSha256?: string;
  /** Entering FAILED. */
  reasonLabel?: string;
  attempts?: number;
}

export interface ReviewDecisionBody {
  decisionId: string;
  round: number;
  decision: ReviewDecisionKind;
  reasonCode: string;
  reasonCatalogVersion: string;
  noteSha256: string | null;
  senior: boolean;
  approvals: number;
  approvalsNeeded: number;
  final: boolean;
  mediaSha256: string | null;
}

export interface VerificationBody {
  fileSha256: string;
  c2paState: C2paState;
  recoveredBy: OriginRecovery | null;
  releaseStatus: VerifyReleaseDto['status'];
  leak: boolean;
  watermarkFound: boolean | null;
}

export type AuditAction = keyof AuditCatalogue;

/** One event to append: the action decides the subject type and the body's shape. */
export type AuditEntry = {
  [A in AuditAction]: { actor: string; action: A; subjectType: AuditCatalogue[A]['subject']; subjectId: string; body: AuditCatalogue[A]['body'] };
}[AuditAction];
