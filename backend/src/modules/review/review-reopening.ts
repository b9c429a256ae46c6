import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClipState, ReviewReopenResultDto } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../core/hashing';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { ReviewItemRepository } from './review-item.repository';
import { ReviewReopeningRepository, type ReopeningKind } from './review-reopening.repository';

// An overridden block resumes the pipeline in analysis (what did not finish before the block, at least
// the release render, runs then) and reaches review flagged, so four eyes apply; a reopened rejection goes straight back to review.
const KINDS: Record<ReopeningKind, { from: ClipState; to: ClipState; verb: string; transitionReason: string; action: 'review.block_overridden' | 'review.reopened' }> = {
  blocked_override: { from: 'BLOCKED', to: 'ANALYZING', verb: 'overridden', transitionReason: 'block overridden by a senior reviewer', action: 'review.block_overridden' },
  rejection_reopen: { from: 'REJECTED', to: 'AWAITING_REVIEW', verb: 'reopened', transitionReason: 'rejection reopened by an admin', action: 'review.reopened' },
};

/**
 * The two ways back into review: a senior reviewer overriding a hard block,
 * and an admin reopening a rejection. Both need a written reason, kept in
 * review_reopenings (erasable); the audit log holds its hash. The clip then
 * goes through a new review round (the lifecycle opens it, or, after an
 * override, resumes the pipeline first); an overridden block needs four eyes.
 */
@Injectable()
export class ReviewReopening {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly clips: ClipRepository,
    private readonly items: ReviewItemRepository,
    private readonly reopenings: ReviewReopeningRepository,
  ) {}

  async reopen(p: Principal, clipId: string, kind: ReopeningKind, reason: string): Promise<ReviewReopenResultDto> {
    const { from, to, verb, transitionReason, action } = KINDS[kind];
    return this.dataSource.transaction(async (m) => {
      const clip = await this.clips.lockForDecision(m, clipId);
      if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
      if (clip.state !== from) throw new ConflictException(`clip ${clipId} is ${clip.state}; only a ${from} clip can be ${verb}`);
      if (clip.createdBy === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must decide whether it is ${verb}`);
      if (!clip.mediaSha256) throw new ConflictException(`clip ${clipId} was stopped before it had any media; there is nothing to review or release (its submitter may appeal the block)`);

      const actor = actorOf(p);
      const reasonSha256 = sha256Hex(reason);
      // Flagged before it moves: the round it reaches after the watermark stage needs four eyes.
      if (kind === 'blocked_override') await this.clips.markFlagged(m, clipId);
      // Recorded for the round it leads to before the clip moves, so that round opens knowing its cause and who may not review it.
      const round = (await this.items.currentRound(m, clipId)) + 1;
      await this.reopenings.insert(m, { clipId, round, kind, actorId: p.userId, reason, reasonSha256 });
      await this.transitions.transition(m, clipId, from, to, { actor, reason: transitionReason, details: { cause: kind, reasonSha256 } });
      await this.audit.append(m, { actor, action, subjectType: 'clip', subjectId: clipId, body: { round, reasonSha256 } });
      return { clipId, state: to, round };
    });
  }
}
