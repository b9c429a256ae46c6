import type { ReviewCause } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

// Arbitrary constant: the advisory-lock namespace for "one claim at a time per reviewer".
const CLAIM_LOCK_NAMESPACE = 7_305_162;

export interface ClaimRecord {
  clipId: string;
  round: number;
  leaseExpiresAt: Date;
}

/** An open or closed round as decisions check it, read under a row lock. */
export interface LockedRound {
  round: number;
  fourEyes: boolean;
  approvedBy: string[];
  seniorApprovals: number;
  /** The round's remaining approval must be a senior reviewer's. */
  seniorApprovalNeeded: boolean;
  claimedBy: string | null;
  /** Who reopened or overrode into this round: they may not review it. */
  reopenedBy: string | null;
  /** The claim's lease has not lapsed. */
  live: boolean;
  leaseExpiresAt: Date | null;
  closedAt: Date | null;
}

export interface QueueRecord {
  clipId: string;
  priority: number;
  dueAt: Date;
  enqueuedAt: Date;
  round: number;
  cause: ReviewCause;
  flagged: boolean;
  escalated: boolean;
  fourEyes: boolean;
  approvals: number;
  seniorApprovalNeeded: boolean;
  claimedBy: string | null;
  leaseExpiresAt: Date | null;
}

export interface RoundRecord {
  round: number;
  cause: ReviewCause;
  priority: number;
  dueAt: Date;
  open: boolean;
  fourEyes: boolean;
  approvals: number;
}

export interface NewRound {
  clipId: string;
  submittedBy: string;
  cause: ReviewCause;
  priority: number;
  fourEyes: boolean;
  slaSeconds: number;
  seniorApprovalNeeded: boolean;
  reopenedBy: string | null;
}

const CLAIMED = `clip_id AS "clipId", round, lease_expires_at AS "leaseExpiresAt"`;
const RELEASE_LEASE = 'claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL';
// What "a claim the reviewer ($1) still holds" means, for the held claim and for the count against the limit.
const LIVE_CLAIMS_OF_USER = `
      FROM review_items r JOIN clips c ON c.id = r.clip_id
     WHERE r.claimed_by = $1 AND r.closed_at IS NULL AND r.lease_expires_at > now() AND c.state = 'AWAITING_REVIEW'`;

const SQL = {
  serializeClaimsOf: `SELECT pg_advisory_xact_lock(${CLAIM_LOCK_NAMESPACE}, hashtext($1))`,
  heldBy: `
    SELECT r.clip_id AS "clipId", r.round, r.lease_expires_at AS "leaseExpiresAt"
      ${LIVE_CLAIMS_OF_USER}
     ORDER BY r.claimed_at LIMIT 1`,
  liveClaimsOf: `SELECT count(*)::int AS n ${LIVE_CLAIMS_OF_USER}`,
  // Skipped: clips the reviewer submitted or already approved this round, and, for a reviewer who is not
  // senior, rounds whose remaining approval must be a senior's. An open item is a clip in AWAITING_REVIEW
  // (every way out of review closes it), so this reads review_items alone, in the order of its queue index.
  takeNext: `
    UPDATE review_items r SET claimed_by = $1, claimed_at = now(), lease_expires_at = now() + $3 * interval '1 second'
      FROM (SELECT q.clip_id FROM review_items q
             WHERE q.closed_at IS NULL
               AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
               AND q.submitted_by <> $1
               AND NOT ($1 = ANY (q.approved_by))
               AND q.reopened_by IS DISTINCT FROM $1
               AND ($2 OR NOT q.senior_approval_needed)
             ORDER BY q.priority, q.due_at, q.enqueued_at, q.clip_id
             LIMIT 1
             FOR UPDATE OF q SKIP LOCKED) AS pick
     WHERE r.clip_id = pick.clip_id
    RETURNING r.clip_id AS "clipId", r.round, r.lease_expires_at AS "leaseExpiresAt"`,
  lock: `
    SELECT round, four_eyes AS "fourEyes", approved_by AS "approvedBy", senior_approvals AS "seniorApprovals",
           senior_approval_needed AS "seniorApprovalNeeded", claimed_by AS "claimedBy", reopened_by AS "reopenedBy", coalesce(lease_expires_at > now(), false) AS live, lease_expires_at AS "leaseExpiresAt", closed_at AS "closedAt"
      FROM review_items WHERE clip_id = $1
       FOR UPDATE`,
  claim: `UPDATE review_items SET claimed_by = $2, claimed_at = now(), lease_expires_at = now() + $3 * interval '1 second' WHERE clip_id = $1 RETURNING ${CLAIMED}`,
  heartbeat: `
    UPDATE review_items r SET lease_expires_at = now() + $3 * interval '1 second'
      FROM clips c
     WHERE r.clip_id = $1 AND c.id = r.clip_id AND c.state = 'AWAITING_REVIEW' AND r.closed_at IS NULL
       AND r.claimed_by = $2 AND r.lease_expires_at > now()
    RETURNING r.clip_id AS "clipId", r.round, r.lease_expires_at AS "leaseExpiresAt"`,
  giveBack: `
    UPDATE review_items SET ${RELEASE_LEASE}
     WHERE clip_id = $1 AND closed_at IS NULL AND claimed_by = $2 AND lease_expires_at > now()
    RETURNING round`,
  // An account disabled or erased: its live claims go back to the queue.
  giveBackAllOf: `
    UPDATE review_items SET ${RELEASE_LEASE}
     WHERE claimed_by = $1 AND closed_at IS NULL AND lease_expires_at > now()
    RETURNING clip_id AS "clipId", round`,
  open: `
    INSERT INTO review_items (clip_id, submitted_by, round, cause, priority, four_eyes, senior_approval_needed, reopened_by, enqueued_at, due_at)
    VALUES ($1, $2, 1, $3, $4, $5, $7, $8, now(), now() + $6 * interval '1 second')
    ON CONFLICT (clip_id) DO UPDATE SET round = review_items.round + 1, cause = EXCLUDED.cause, priority = EXCLUDED.priority, reopened_by = EXCLUDED.reopened_by,
      four_eyes = EXCLUDED.four_eyes, senior_approval_needed = EXCLUDED.senior_approval_needed, escalated = false,
      enqueued_at = EXCLUDED.enqueued_at, due_at = EXCLUDED.due_at, ${RELEASE_LEASE}, approved_by = '{}', senior_approvals = 0,
      approved_media_sha256 = NULL, closed_at = NULL
    RETURNING round, due_at AS "dueAt"`,
  currentRound: `SELECT coalesce((SELECT round FROM review_items WHERE clip_id = $1), 0) AS round`,
  recordApproval: `
    UPDATE review_items SET approved_by = array_append(approved_by, $2), senior_approvals = senior_approvals + $3, ${RELEASE_LEASE},
           senior_approval_needed = $5, closed_at = CASE WHEN $4 THEN now() END, approved_media_sha256 = $6
     WHERE clip_id = $1
    RETURNING round`,
  close: `UPDATE review_items SET ${RELEASE_LEASE}, closed_at = now() WHERE clip_id = $1 RETURNING round`,
  // Escalated: back in the queue, first in line, and from now on two approvals with a senior's.
  escalate: `
    UPDATE review_items SET ${RELEASE_LEASE}, escalated = true, four_eyes = true, priority = $2, senior_approval_needed = $4,
           due_at = LEAST(due_at, now() + $3 * interval '1 second')
     WHERE clip_id = $1
    RETURNING round`,
  queue: `
    SELECT r.clip_id AS "clipId", r.priority, r.due_at AS "dueAt", r.enqueued_at AS "enqueuedAt", r.round, r.cause, c.flagged, r.escalated,
           r.four_eyes AS "fourEyes", cardinality(r.approved_by) AS approvals, r.senior_approval_needed AS "seniorApprovalNeeded",
           r.claimed_by AS "claimedBy", r.lease_expires_at AS "leaseExpiresAt"
      FROM review_items r JOIN clips c ON c.id = r.clip_id
     WHERE r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW'
     ORDER BY r.priority, r.due_at, r.enqueued_at, r.clip_id
     LIMIT $1`,
  counts: `
    SELECT r.priority, count(*)::int AS open, count(*) FILTER (WHERE r.due_at < now())::int AS overdue
      FROM review_items r JOIN clips c ON c.id = r.clip_id
     WHERE r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW'
     GROUP BY r.priority`,
  ofClip: `
    SELECT r.round, r.cause, r.priority, r.due_at AS "dueAt", (r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW') AS open,
           r.four_eyes AS "fourEyes", cardinality(r.approved_by) AS approvals
      FROM review_items r JOIN clips c ON c.id = r.clip_id
     WHERE r.clip_id = $1`,
} as const;

/** Review rounds and their claims (review_items): one row per clip, its current round. */
export class ReviewItemRepository {
  static readonly sql = SQL;

  /** Serialises one reviewer's own claims until the transaction ends, so a retried "claim next" cannot take a second clip. */
  async serializeClaimsOf(db: Queryable, userId: string): Promise<void> {
    await db.query(SQL.serializeClaimsOf, [userId]);
  }

  async heldBy(db: Queryable, userId: string): Promise<ClaimRecord | null> {
    const [row]: ClaimRecord[] = await db.query(SQL.heldBy, [userId]);
    return row ?? null;
  }

  /** How many live claims the reviewer holds. */
  async liveClaimsOf(db: Queryable, userId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await db.query(SQL.liveClaimsOf, [userId]);
    return n;
  }

  async takeNext(db: Queryable, userId: string, senior: boolean, leaseSeconds: number): Promise<ClaimRecord | null> {
    const [row] = await updatedRows<ClaimRecord>(db, SQL.takeNext, [userId, senior, leaseSeconds]);
    return row ?? null;
  }

  async lock(db: Queryable, clipId: string): Promise<LockedRound | null> {
    const [row]: LockedRound[] = await db.query(SQL.lock, [clipId]);
    return row ?? null;
  }

  async claim(db: Queryable, clipId: string, userId: string, leaseSeconds: number): Promise<ClaimRecord> {
    const [row] = await updatedRows<ClaimRecord>(db, SQL.claim, [clipId, userId, leaseSeconds]);
    return row;
  }

  async heartbeat(db: Queryable, clipId: string, userId: string, leaseSeconds: number): Promise<ClaimRecord | null> {
    const [row] = await updatedRows<ClaimRecord>(db, SQL.heartbeat, [clipId, userId, leaseSeconds]);
    return row ?? null;
  }

  /** Returns the round whose claim was given back, or null when the reviewer held no live claim. */
  async giveBack(db: Queryable, clipId: string, userId: string): Promise<number | null> {
    const [row] = await updatedRows<{ round: number }>(db, SQL.giveBack, [clipId, userId]);
    return row?.round ?? null;
  }

  /** Gives back every live claim the reviewer holds; the rounds given back. */
  giveBackAllOf(db: Queryable, userId: string): Promise<{ clipId: string; round: number }[]> {
    return updatedRows(db, SQL.giveBackAllOf, [userId]);
  }

  /** Opens the clip's next round (the first, or a new one after a reopening). */
  async open(db: Queryable, r: NewRound): Promise<{ round: number; dueAt: Date }> {
    const [row]: { round: number; dueAt: Date }[] = await db.query(SQL.open, [r.clipId, r.submittedBy, r.cause, r.priority, r.fourEyes, r.slaSeconds, r.seniorApprovalNeeded, r.reopenedBy]);
    return row;
  }

  /** The clip's current round number, 0 before its first. */
  async currentRound(db: Queryable, clipId: string): Promise<number> {
    const [{ round }]: { round: number }[] = await db.query(SQL.currentRound, [clipId]);
    return round;
  }

  /** Records an approval; a final one closes the round with the approved file. */
  async recordApproval(
    db: Queryable,
    clipId: string,
    a: { reviewerId: string; senior: boolean; final: boolean; seniorApprovalNeeded: boolean; mediaSha256: string | null },
  ): Promise<void> {
    await updatedRows(db, SQL.recordApproval, [clipId, a.reviewerId, a.senior ? 1 : 0, a.final, a.seniorApprovalNeeded, a.final ? a.mediaSha256 : null]);
  }

  async close(db: Queryable, clipId: string): Promise<void> {
    await updatedRows(db, SQL.close, [clipId]);
  }

  async escalate(db: Queryable, clipId: string, e: { priority: number; slaSeconds: number; seniorApprovalNeeded: boolean }): Promise<void> {
    await updatedRows(db, SQL.escalate, [clipId, e.priority, e.slaSeconds, e.seniorApprovalNeeded]);
  }

  queue(db: Queryable, limit: number): Promise<QueueRecord[]> {
    return db.query(SQL.queue, [limit]);
  }

  counts(db: Queryable): Promise<{ priority: number; open: number; overdue: number }[]> {
    return db.query(SQL.counts);
  }

  async ofClip(db: Queryable, clipId: string): Promise<RoundRecord | null> {
    const [row]: RoundRecord[] = await db.query(SQL.ofClip, [clipId]);
    return row ?? null;
  }
}
