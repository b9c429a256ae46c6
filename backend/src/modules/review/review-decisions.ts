import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  activeReasonCodes,
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
import { sha256Hex } from '../core/hashing';
import { APP_CONFIG } from '../core/tokens';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository, type ClipForDecision } from '../lifecycle/clip.repository';
import { approvalsNeeded, judgeApproval, seniorApprovalNeeded, type ApprovalOutcome, type ApprovalState } from './approval-rule';
import { isSeniorReviewer } from './review-claims';
import { ReviewDecisionRepository } from './review-decision.repository';
import { ReviewItemRepository, type LockedRound } from './review-item.repository';
import { priorityRank } from './review-queue';

/**
 * Approve, reject or escalate a clip under a live claim. Everything a
 * decision changes (the decision row, the queue item, the clip's state, the
 * audit events, and through the lifecycle the SSE and webhook notifications
 * and the release job) is written in one transaction.
 */
@Injectable()
export class ReviewDecisions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly clips: ClipRepository,
    private readonly items: ReviewItemRepository,
    private readonly decisions: ReviewDecisionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async decide(p: Principal, clipId: string, request: ReviewDecisionRequest): Promise<ReviewDecisionResultDto> {
    const reason = reviewReason(request.decision, request.reasonCode);
    if (!reason || reason.retired) {
      const valid = activeReasonCodes(request.decision).join(', ');
      throw new BadRequestException(`reasonCode: ${JSON.stringify(request.reasonCode)} is not a reason to ${request.decision} in catalog ${REVIEW_REASON_CATALOG_VERSION}; valid: ${valid}`);
    }
    return this.dataSource.transaction(async (m) => {
      const { clip, item } = await this.lock(m, clipId, p);
      const senior = isSeniorReviewer(p);
      const before: ApprovalState = { fourEyes: item.fourEyes, approvals: item.approvedBy.length, seniorApprovals: item.seniorApprovals };
      // An escalation makes the round a four-eyes round from now on.
      const needed = approvalsNeeded(item.fourEyes || request.decision === 'escalate');
      let outcome: ApprovalOutcome | null = null;
      if (request.decision === 'approve') {
        if (!clip.mediaSha256) throw new ConflictException(`clip ${clipId} has no media to approve`);
        outcome = judgeApproval(before, senior);
        if (outcome === 'needs_senior') {
          throw new ConflictException(`clip ${clipId} was flagged or escalated and already has one approval; the second must come from a senior_reviewer`);
        }
      }
      const approvals = before.approvals + (request.decision === 'approve' ? 1 : 0);
      const final = request.decision === 'reject' || outcome === 'final';
      const actor = actorOf(p);
      const noteSha256 = request.note ? sha256Hex(request.note) : null;
      const decisionId = randomUUID();

      const auditEventId = await this.audit.append(m, {
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
          mediaSha256: clip.mediaSha256,
        },
      });
      await this.decisions.insert(m, {
        id: decisionId,
        clipId,
        round: item.round,
        reviewerId: p.userId,
        senior,
        decision: request.decision,
        reasonCode: request.reasonCode,
        reasonCatalogVersion: REVIEW_REASON_CATALOG_VERSION,
        note: request.note ?? null,
        noteSha256,
        mediaSha256: clip.mediaSha256,
        final,
        auditEventId,
      });
      await this.updateRound(m, clipId, request.decision, { ...before, approvals }, { reviewerId: p.userId, senior, final, mediaSha256: clip.mediaSha256 });

      const state: ClipState = !final ? 'AWAITING_REVIEW' : request.decision === 'approve' ? 'APPROVED' : 'REJECTED';
      // Before the transition, so the stream shows the decision, then the states it leads to (APPROVED, then SIGNING).
      await this.clips.publishEvent(m, {
        clipId,
        createdBy: clip.createdBy,
        state,
        stage: null,
        at: new Date().toISOString(),
        review: { decision: request.decision, reasonCode: request.reasonCode, final },
      });
      if (final) {
        // The lifecycle notifies webhooks and, for an approval, starts the release (SIGNING) in this same transaction.
        await this.transitions.transition(m, clipId, 'AWAITING_REVIEW', state, {
          actor,
          reason: `${request.decision === 'approve' ? 'approved' : 'rejected'} in review (${request.reasonCode})`,
          details: { round: item.round, reasonCode: request.reasonCode, approvals },
        });
      }
      const now = (await this.clips.findById(m, clipId))!.state;
      return { clipId, decision: request.decision, state: now, approvals, approvalsNeeded: needed, final };
    });
  }

  /** Locks the clip, then its open round (the order every writer uses), and checks the rules common to all decisions. */
  private async lock(m: EntityManager, clipId: string, p: Principal): Promise<{ clip: ClipForDecision; item: LockedRound }> {
    const clip = await this.clips.lockForDecision(m, clipId);
    if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
    const item = await this.items.lock(m, clipId);
    if (!item || item.closedAt || clip.state !== 'AWAITING_REVIEW') throw new ConflictException(`clip ${clipId} is not awaiting review (it is ${clip.state})`);
    if (clip.createdBy === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must review it`);
    if (item.claimedBy !== p.userId || !item.live) {
      throw new ConflictException(`clip ${clipId}: a decision needs a live claim and you hold none (claim it first, or again if your lease expired)`);
    }
    return { clip, item };
  }

  /** `after`: the round's approvals including this decision's. */
  private async updateRound(
    m: EntityManager,
    clipId: string,
    decision: ReviewDecisionKind,
    after: ApprovalState,
    by: { reviewerId: string; senior: boolean; final: boolean; mediaSha256: string | null },
  ): Promise<void> {
    if (decision === 'approve') {
      const seniorApprovals = after.seniorApprovals + (by.senior ? 1 : 0);
      await this.items.recordApproval(m, clipId, { ...by, seniorApprovalNeeded: seniorApprovalNeeded({ ...after, seniorApprovals }) });
    } else if (decision === 'reject') {
      await this.items.close(m, clipId);
    } else {
      // Escalated: back in the queue, first in line, and from now on two approvals with a senior's.
      await this.items.escalate(m, clipId, {
        priority: priorityRank('high'),
        slaSeconds: this.config.REVIEW_SLA_HIGH_SECONDS,
        seniorApprovalNeeded: seniorApprovalNeeded({ ...after, fourEyes: true }),
      });
    }
  }
}
