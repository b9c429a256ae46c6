import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { REVIEW_PRIORITIES, type ReviewCause, type ReviewPriority, type ReviewQueueItemDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';
import { approvalsNeeded, seniorApprovalNeeded } from './approval-rule';

/** Stored priority: the index in REVIEW_PRIORITIES, so the queue index sorts most urgent first. */
export const priorityRank = (p: ReviewPriority): number => REVIEW_PRIORITIES.indexOf(p);
export const priorityName = (rank: number): ReviewPriority => REVIEW_PRIORITIES[rank];

interface QueueRow {
  clip_id: string;
  priority: number;
  due_at: Date;
  enqueued_at: Date;
  round: number;
  cause: ReviewCause;
  flagged: boolean;
  escalated: boolean;
  four_eyes: boolean;
  approvals: number;
  senior_approvals: number;
  claimed_by: string | null;
  lease_expires_at: Date | null;
}

/**
 * The review queue: a clip enters it (a new round) when it reaches
 * AWAITING_REVIEW, ordered by priority (flagged, escalated and overridden
 * clips first), then due time, then age. The due time follows from the
 * priority's SLA.
 */
@Injectable()
export class ReviewQueue {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  slaSeconds(priority: ReviewPriority): number {
    return priority === 'high' ? this.config.REVIEW_SLA_HIGH_SECONDS : this.config.REVIEW_SLA_NORMAL_SECONDS;
  }

  /** Opens a review round for a clip that has just entered AWAITING_REVIEW, in the caller's transaction. */
  async open(manager: EntityManager, clipId: string, cause: ReviewCause, actor: string): Promise<number> {
    const [clip]: { flagged: boolean; created_by: string }[] = await manager.query('SELECT flagged, created_by FROM clips WHERE id = $1', [clipId]);
    // The round the pipeline opens after a senior reviewer's override (the clip was watermarked first) is the override's round.
    const [override] = await manager.query(
      `SELECT 1 FROM review_reopenings WHERE clip_id = $1 AND kind = 'blocked_override'
          AND round = coalesce((SELECT round FROM review_items WHERE clip_id = $1), 0) + 1`,
      [clipId],
    );
    if (override) cause = 'blocked_override';
    // A clip a check flagged, or one a senior reviewer let out of a block, needs two approvals and goes first.
    const fourEyes = clip.flagged || cause === 'blocked_override';
    const priority: ReviewPriority = fourEyes ? 'high' : 'normal';
    const [item]: { round: number; due_at: Date }[] = await manager.query(
      `INSERT INTO review_items (clip_id, submitted_by, round, cause, priority, four_eyes, enqueued_at, due_at)
       VALUES ($1, $6, 1, $2, $3, $4, now(), now() + $5 * interval '1 second')
       ON CONFLICT (clip_id) DO UPDATE SET round = review_items.round + 1, cause = EXCLUDED.cause, priority = EXCLUDED.priority,
         four_eyes = EXCLUDED.four_eyes, escalated = false, enqueued_at = EXCLUDED.enqueued_at, due_at = EXCLUDED.due_at,
         claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL, approved_by = '{}', senior_approvals = 0,
         approved_media_sha256 = NULL, closed_at = NULL
       RETURNING round, due_at`,
      [clipId, cause, priorityRank(priority), fourEyes, this.slaSeconds(priority), clip.created_by],
    );
    await this.audit.append(manager, {
      actor,
      action: 'review.queued',
      subjectType: 'clip',
      subjectId: clipId,
      body: { round: item.round, cause, priority, fourEyes, dueAt: new Date(item.due_at).toISOString() },
    });
    return item.round;
  }

  /** Open items in queue order. */
  async list(query: { limit?: string }): Promise<ReviewQueueItemDto[]> {
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequestException('limit: must be an integer from 1 to 500');
    const rows: QueueRow[] = await this.dataSource.query(
      `SELECT r.clip_id, r.priority, r.due_at, r.enqueued_at, r.round, r.cause, c.flagged, r.escalated, r.four_eyes,
              cardinality(r.approved_by) AS approvals, r.senior_approvals, r.claimed_by, r.lease_expires_at
         FROM review_items r JOIN clips c ON c.id = r.clip_id
        WHERE r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW'
        ORDER BY r.priority, r.due_at, r.enqueued_at, r.clip_id
        LIMIT $1`,
      [limit],
    );
    const now = Date.now();
    return rows.map((r) => {
      const fourEyes = r.four_eyes || r.flagged;
      const needed = approvalsNeeded(fourEyes);
      const live = r.claimed_by !== null && r.lease_expires_at !== null && r.lease_expires_at.getTime() > now;
      return {
        clipId: r.clip_id,
        priority: priorityName(r.priority),
        dueAt: r.due_at.toISOString(),
        overdue: r.due_at.getTime() < now,
        enqueuedAt: r.enqueued_at.toISOString(),
        round: r.round,
        cause: r.cause,
        flagged: r.flagged,
        escalated: r.escalated,
        approvals: r.approvals,
        approvalsNeeded: needed,
        seniorApprovalNeeded: seniorApprovalNeeded({ fourEyes, approvals: r.approvals, seniorApprovals: r.senior_approvals }),
        claim: live ? { reviewerId: r.claimed_by!, leaseExpiresAt: r.lease_expires_at!.toISOString() } : null,
      };
    });
  }

  /** Open items per priority, and how many of them are past their due time (for /metrics). */
  async counts(): Promise<{ priority: ReviewPriority; open: number; overdue: number }[]> {
    const rows: { priority: number; open: number; overdue: number }[] = await this.dataSource.query(
      `SELECT r.priority, count(*)::int AS open, count(*) FILTER (WHERE r.due_at < now())::int AS overdue
         FROM review_items r JOIN clips c ON c.id = r.clip_id
        WHERE r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW' GROUP BY r.priority`,
    );
    return REVIEW_PRIORITIES.map((priority) => {
      const row = rows.find((r) => priorityName(r.priority) === priority);
      return { priority, open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
    });
  }
}
