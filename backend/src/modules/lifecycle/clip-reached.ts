import type { EntityManager } from 'typeorm';
import type { ClipState } from '@provenant/shared';

/** A clip has just changed state; emitted inside the transaction that changed it. */
export interface ClipReached {
  clipId: string;
  from: ClipState;
  to: ClipState;
  /** Who made the move: `user:<id>`, `apikey:<id>`, `worker`, `system`. */
  actor: string;
  createdBy: string;
  reason: string | null;
  /** The audit event that records the transition. */
  auditEventId: number;
}

/**
 * What follows a transition, each in one place. Every process that changes
 * clip states must have all of them, so ClipTransitions refuses to move a
 * clip while one is missing, rather than letting a consequence silently not
 * happen.
 */
export const CLIP_REACHED_CONSEQUENCES = [
  /** A clip entering AWAITING_REVIEW opens a review round. */
  'review_round',
  /** An outcome (approved, rejected, released, blocked, failed) is delivered to webhooks. */
  'webhook_fanout',
  /** A person's move into a processing state (approval, an overridden block) resumes the pipeline. */
  'pipeline',
] as const;
export type ClipReachedConsequence = (typeof CLIP_REACHED_CONSEQUENCES)[number];

export interface ClipReachedSubscriber {
  readonly consequence: ClipReachedConsequence;
  /** Runs in the transition's transaction: a failure rolls the transition back. */
  onClipReached(manager: EntityManager, event: ClipReached): Promise<void>;
}
