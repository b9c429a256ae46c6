import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClipState, ReviewReopenResultDto } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../auth/secrets';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { PipelineOrchestrator } from '../pipeline/pipeline-orchestrator';
import { ReviewQueue } from './review-queue';

type ReopeningKind = 'blocked_override' | 'rejection_reopen';

// An overridden block resumes the pipeline at watermarking (the stages after the block never ran) and
// reaches review flagged, so four eyes apply; a reopened rejection goes straight back to review.
const KINDS: Record<ReopeningKind, { from: ClipState; to: ClipState; verb: string; transitionReason: string; action: string }> = {
  blocked_override: { from: 'BLOCKED', to: 'WATERMARKING', verb: 'overridden', transitionReason: 'block overridden by a senior reviewer', action: 'review.block_overridden' },
  rejection_reopen: { from: 'REJECTED', to: 'AWAITING_REVIEW', verb: 'reopened', transitionReason: 'rejection reopened by an admin', action: 'review.reopened' },
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
    private readonly orchestrator: PipelineOrchestrator,
  ) {}

  async reopen(p: Principal, clipId: string, kind: ReopeningKind, reason: string): Promise<ReviewReopenResultDto> {
    const { from, to, verb, transitionReason, action } = KINDS[kind];
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
      await this.transitions.transition(m, clipId, from, to, { actor, reason: transitionReason, details: { cause: kind, reasonSha256 } });
      let round: number;
      if (to === 'AWAITING_REVIEW') {
        round = await this.queue.open(m, clipId, kind, actor);
      } else {
        await m.query('UPDATE clips SET flagged = true, updated_at = now() WHERE id = $1', [clipId]);
        // The round the clip will enter once the pipeline brings it to review.
        [{ round }] = await m.query('SELECT coalesce((SELECT round FROM review_items WHERE clip_id = $1), 0) + 1 AS round', [clipId]);
        await this.orchestrator.advance(m, clipId, actor);
      }
      await m.query(`INSERT INTO review_reopenings (clip_id, round, kind, actor_id, reason, reason_sha256) VALUES ($1, $2, $3, $4, $5, $6)`, [
        clipId,
        round,
        kind,
        p.userId,
        reason,
        reasonSha256,
      ]);
      await this.audit.append(m, { actor, action, subjectType: 'clip', subjectId: clipId, body: { round, reasonSha256 } });
      return { clipId, state: to, round };
    });
  }
}
