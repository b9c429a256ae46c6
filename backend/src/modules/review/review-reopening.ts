import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClipState, ReviewReopenResultDto } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../auth/secrets';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ReviewQueue } from './review-queue';

type ReopeningKind = 'blocked_override' | 'rejection_reopen';

const KINDS: Record<ReopeningKind, { from: ClipState; verb: string; transitionReason: string; action: string }> = {
  blocked_override: { from: 'BLOCKED', verb: 'overridden', transitionReason: 'block overridden by a senior reviewer', action: 'review.block_overridden' },
  rejection_reopen: { from: 'REJECTED', verb: 'reopened', transitionReason: 'rejection reopened by an admin', action: 'review.reopened' },
};

/**
 * The two ways back into review: a senior reviewer overriding a hard block,
 * and an admin reopening a rejection. Both need a written reason, kept in
 * review_reopenings (erasable); the audit log holds its hash. The clip then
 * goes through a new review round; an overridden block needs four eyes.
 */
@Injectable()
export class ReviewReopening {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly queue: ReviewQueue,
  ) {}

  async reopen(p: Principal, clipId: string, kind: ReopeningKind, reason: string): Promise<ReviewReopenResultDto> {
    const { from, verb, transitionReason, action } = KINDS[kind];
    return this.dataSource.transaction(async (m) => {
      const [clip]: { state: ClipState; created_by: string; media_sha256: string | null }[] = await m.query(
        'SELECT state, created_by, media_sha256 FROM clips WHERE id = $1 FOR UPDATE',
        [clipId],
      );
      if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
      if (clip.state !== from) throw new ConflictException(`clip ${clipId} is ${clip.state}; only a ${from} clip can be ${verb}`);
      if (clip.created_by === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must decide whether it is ${verb}`);
      if (!clip.media_sha256) throw new ConflictException(`clip ${clipId} was stopped before it had any media; there is nothing to review or release`);

      const actor = actorOf(p);
      const reasonSha256 = sha256Hex(reason);
      await this.transitions.transition(m, clipId, from, 'AWAITING_REVIEW', { actor, reason: transitionReason, details: { cause: kind, reasonSha256 } });
      const round = await this.queue.open(m, clipId, kind, actor);
      await m.query(`INSERT INTO review_reopenings (clip_id, round, kind, actor_id, reason, reason_sha256) VALUES ($1, $2, $3, $4, $5, $6)`, [
        clipId,
        round,
        kind,
        p.userId,
        reason,
        reasonSha256,
      ]);
      await this.audit.append(m, { actor, action, subjectType: 'clip', subjectId: clipId, body: { round, reasonSha256 } });
      return { clipId, state: 'AWAITING_REVIEW', round };
    });
  }
}
