import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { REVIEW_PRIORITIES, type ReviewCause, type ReviewPriority, type ReviewQueueItemDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';
import type { ClipReached, ClipReachedSubscriber } from '../lifecycle/clip-reached';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { approvalsNeeded, requiresFourEyes, seniorApprovalNeeded } from './approval-rule';
import { ReviewItemRepository } from './review-item.repository';
import { ReviewReopeningRepository } from './review-reopening.repository';

/** Stored priority: the index in REVIEW_PRIORITIES, so the queue index sorts most urgent first. */
export const priorityRank = (p: ReviewPriority): number => REVIEW_PRIORITIES.indexOf(p);
export const priorityName = (rank: number): ReviewPriority => REVIEW_PRIORITIES[rank];

/**
 * The review queue: a clip enters it (a new round) when it reaches
 * AWAITING_REVIEW, ordered by priority (flagged, escalated and overridden
 * clips first), then due time, then age. The due time follows from the
 * priority's SLA. Rounds are opened by the lifecycle, whatever moved the clip.
 */
@Injectable()
export class ReviewQueue implements ClipReachedSubscriber, OnModuleInit {
  readonly consequence = 'review_round' as const;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly clips: ClipRepository,
    private readonly items: ReviewItemRepository,
    private readonly reopenings: ReviewReopeningRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.transitions.subscribe(this);
  }

  slaSeconds(priority: ReviewPriority): number {
    return priority === 'high' ? this.config.REVIEW_SLA_HIGH_SECONDS : this.config.REVIEW_SLA_NORMAL_SECONDS;
  }

  async onClipReached(manager: EntityManager, event: ClipReached): Promise<void> {
    if (event.to !== 'AWAITING_REVIEW') return;
    await this.open(manager, event.clipId, event.actor);
  }

  /** Opens a review round for a clip that has just entered AWAITING_REVIEW. */
  async open(manager: EntityManager, clipId: string, actor: string): Promise<void> {
    const clip = (await this.clips.findById(manager, clipId))!;
    // A reopening is recorded for the round it leads to (an override's after the watermark stage), before the clip moves.
    const round = (await this.items.currentRound(manager, clipId)) + 1;
    const reopening = await this.reopenings.forRound(manager, clipId, round);
    const cause: ReviewCause = reopening?.kind ?? 'pipeline';
    const fourEyes = requiresFourEyes(clip, cause);
    const priority: ReviewPriority = fourEyes ? 'high' : 'normal';
    const opened = await this.items.open(manager, {
      clipId,
      submittedBy: clip.createdBy,
      cause,
      priority: priorityRank(priority),
      fourEyes,
      slaSeconds: this.slaSeconds(priority),
      seniorApprovalNeeded: seniorApprovalNeeded({ fourEyes, approvals: 0, seniorApprovals: 0 }),
      reopenedBy: reopening?.actorId ?? null,
    });
    await this.audit.append(manager, {
      actor,
      action: 'review.queued',
      subjectType: 'clip',
      subjectId: clipId,
      body: { round: opened.round, cause, priority, fourEyes, dueAt: new Date(opened.dueAt).toISOString() },
    });
  }

  /** Open items in queue order. */
  async list({ limit }: { limit: number }): Promise<ReviewQueueItemDto[]> {
    const rows = await this.items.queue(this.dataSource, limit);
    const now = Date.now();
    return rows.map((r) => {
      const live = r.claimedBy !== null && r.leaseExpiresAt !== null && r.leaseExpiresAt.getTime() > now;
      return {
        clipId: r.clipId,
        priority: priorityName(r.priority),
        dueAt: r.dueAt.toISOString(),
        overdue: r.dueAt.getTime() < now,
        enqueuedAt: r.enqueuedAt.toISOString(),
        round: r.round,
        cause: r.cause,
        flagged: r.flagged,
        escalated: r.escalated,
        approvals: r.approvals,
        approvalsNeeded: approvalsNeeded(r.fourEyes),
        seniorApprovalNeeded: r.seniorApprovalNeeded,
        claim: live ? { reviewerId: r.claimedBy!, leaseExpiresAt: r.leaseExpiresAt!.toISOString() } : null,
      };
    });
  }

  /** Open items per priority, and how many of them are past their due time (for /metrics). */
  async counts(): Promise<{ priority: ReviewPriority; open: number; overdue: number }[]> {
    const rows = await this.items.counts(this.dataSource);
    return REVIEW_PRIORITIES.map((priority) => {
      const row = rows.find((r) => priorityName(r.priority) === priority);
      return { priority, open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
    });
  }
}
