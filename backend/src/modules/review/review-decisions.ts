import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  REVIEW_REASON_CATALOG_VERSION,
  reviewReason,
  type ClipState,
  type ReviewDecisionKind,
  type ReviewDecisionRequest,
  type ReviewDecisionResultDto,
} from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../auth/secrets';
import { APP_CONFIG } from '../core/tokens';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { WebhookFanout } from '../notifications/webhook-fanout';
import { PipelineOrchestrator } from '../pipeline/pipeline-orchestrator';
import { approvalsNeeded, judgeApproval, type ApprovalOutcome } from './approval-rule';
import { isSeniorReviewer } from './review-claims';
import { notifyReviewDecision } from './review-events';
import { priorityRank } from './review-queue';

interface LockedItem {
  round: number;
  four_eyes: boolean;
  flagged: boolean;
  approved_by: string[];
  senior_approvals: number;
  claimed_by: string | null;
  live: boolean;
  closed_at: Date | null;
  state: ClipState;
  created_by: string;
  media_sha256: string | null;
}

/**
 * Approve, reject or escalate a clip under a live claim. Everything a
 * decision changes (the decision row, the queue item, the clip's state, the
 * audit events, the SSE and webhook notifications, the release job) is
 * written in one transaction.
 */
@Injectable()
export class ReviewDecisions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly orchestrator: PipelineOrchestrator,
    private readonly webhooks: WebhookFanout,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async decide(p: Principal, clipId: string, request: ReviewDecisionRequest): Promise<ReviewDecisionResultDto> {
    const reason = reviewReason(request.decision, request.reasonCode);
    if (!reason || reason.retired) {
      throw new BadRequestException(`reasonCode: ${JSON.stringify(request.reasonCode)} is not a reason to ${request.decision} in catalog ${REVIEW_REASON_CATALOG_VERSION}`);
    }
    return this.dataSource.transaction(async (m) => {
      const item = await this.lockItem(m, clipId, p);
      const senior = isSeniorReviewer(p);
      const fourEyes = item.four_eyes || item.flagged;
      // An escalation makes the round a four-eyes round from now on.
      const needed = approvalsNeeded(fourEyes || request.decision === 'escalate');
      let outcome: ApprovalOutcome | null = null;
      if (request.decision === 'approve') {
        if (!item.media_sha256) throw new ConflictException(`clip ${clipId} has no media to approve`);
        outcome = judgeApproval({ fourEyes, approvals: item.approved_by.length, seniorApprovals: item.senior_approvals }, senior);
        if (outcome === 'needs_senior') {
          throw new ConflictException(`clip ${clipId} was flagged or escalated and already has one approval; the second must come from a senior_reviewer`);
        }
      }
      const approvals = item.approved_by.length + (request.decision === 'approve' ? 1 : 0);
      const final = request.decision === 'reject' || outcome === 'final';
      const actor = actorOf(p);
      const noteSha256 = request.note ? sha256Hex(request.note) : null;

      const [{ id: decisionId }]: { id: string }[] = await m.query(
        `INSERT INTO review_decisions (clip_id, round, reviewer_id, senior, decision, reason_code, reason_catalog_version, note, note_sha256, media_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [clipId, item.round, p.userId, senior, request.decision, request.reasonCode, REVIEW_REASON_CATALOG_VERSION, request.note ?? null, noteSha256, item.media_sha256],
      );
      await this.updateItem(m, clipId, request.decision, outcome, p.userId, senior);
      await this.audit.append(m, {
        actor,
        action: 'review.decision',
        subjectType: 'clip',
        subjectId: clipId,
        body: {
          decisionId,
          round: item.round,
          decision: request.decision,
          reasonCode: request.reasonCode,
          reasonCatalogVersion: REVIEW_REASON_CATALOG_VERSION,
          noteSha256,
          senior,
          approvals,
          approvalsNeeded: needed,
          final,
          mediaSha256: item.media_sha256,
        },
      });

      let state: ClipState = 'AWAITING_REVIEW';
      if (final) {
        state = request.decision === 'approve' ? 'APPROVED' : 'REJECTED';
        await this.transitions.transition(m, clipId, 'AWAITING_REVIEW', state, {
          actor,
          reason: `${request.decision === 'approve' ? 'approved' : 'rejected'} in review (${request.reasonCode})`,
          details: { round: item.round, reasonCode: request.reasonCode, approvals },
        });
      }
      await notifyReviewDecision(m, clipId, item.created_by, state, { decision: request.decision, reasonCode: request.reasonCode, final });
      if (final) await this.webhooks.clipReached(m, clipId, state);
      // Approved: on to the release gate (SIGNING), in this same transaction.
      if (state === 'APPROVED') await this.orchestrator.advance(m, clipId, actor);
      const [{ state: now }]: { state: ClipState }[] = await m.query('SELECT state FROM clips WHERE id = $1', [clipId]);
      return { clipId, decision: request.decision, state: now, approvals, approvalsNeeded: needed, final };
    });
  }

  /** Locks the clip, then its open item (the order every writer uses), and checks the rules common to all decisions. */
  private async lockItem(m: EntityManager, clipId: string, p: Principal): Promise<LockedItem> {
    const [clip]: Pick<LockedItem, 'state' | 'created_by' | 'flagged' | 'media_sha256'>[] = await m.query(
      'SELECT state, created_by, flagged, media_sha256 FROM clips WHERE id = $1 FOR UPDATE',
      [clipId],
    );
    if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
    const [item]: Omit<LockedItem, keyof typeof clip>[] = await m.query(
      `SELECT round, four_eyes, approved_by, senior_approvals, claimed_by, coalesce(lease_expires_at > now(), false) AS live, closed_at
         FROM review_items WHERE clip_id = $1 FOR UPDATE`,
      [clipId],
    );
    if (!item || item.closed_at || clip.state !== 'AWAITING_REVIEW') throw new ConflictException(`clip ${clipId} is not awaiting review (it is ${clip.state})`);
    if (clip.created_by === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must review it`);
    if (item.claimed_by !== p.userId || !item.live) {
      throw new ConflictException(`clip ${clipId}: a decision needs a live claim and you hold none (claim it first, or again if your lease expired)`);
    }
    return { ...clip, ...item };
  }

  private async updateItem(m: EntityManager, clipId: string, decision: ReviewDecisionKind, outcome: ApprovalOutcome | null, reviewerId: string, senior: boolean): Promise<void> {
    const releaseLease = 'claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL';
    if (decision === 'approve') {
      await m.query(
        `UPDATE review_items SET approved_by = array_append(approved_by, $2), senior_approvals = senior_approvals + $3, ${releaseLease},
                closed_at = CASE WHEN $4 THEN now() END,
                approved_media_sha256 = CASE WHEN $4 THEN (SELECT media_sha256 FROM clips WHERE id = $1) END
          WHERE clip_id = $1`,
        [clipId, reviewerId, senior ? 1 : 0, outcome === 'final'],
      );
    } else if (decision === 'reject') {
      await m.query(`UPDATE review_items SET ${releaseLease}, closed_at = now() WHERE clip_id = $1`, [clipId]);
    } else {
      // Escalated: back in the queue, first in line, and from now on two approvals with a senior's.
      await m.query(
        `UPDATE review_items SET ${releaseLease}, escalated = true, four_eyes = true, priority = $2,
                due_at = LEAST(due_at, now() + $3 * interval '1 second')
          WHERE clip_id = $1`,
        [clipId, priorityRank('high'), this.config.REVIEW_SLA_HIGH_SECONDS],
      );
    }
  }
}
