import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CHECK_KINDS,
  ClipStateMachine,
  ROLES_SEEING_ALL_CLIPS,
  type CheckKind,
  type ClipCheckDto,
  type ClipDto,
  type ClipReviewDto,
  type ClipSource,
  type ClipState,
  type ClipSummaryDto,
  type Page,
  type ReviewCause,
  type ReviewDecisionKind,
  type StageResultDto,
} from '@provenant/shared';
import { ClipEntity, StageResultEntity } from '../../database/entities';
import type { Principal } from '../auth/principal';
import { PipelinePlan } from '../pipeline/pipeline-plan';
import { readRelease } from '../pipeline/release-record';
import { approvalsNeeded } from '../review/approval-rule';
import { priorityName } from '../review/review-queue';

export const canSeeAllClips = (p: Principal): boolean => p.roles.some((r) => ROLES_SEEING_ALL_CLIPS.includes(r));

const encodeCursor = (c: ClipEntity) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!createdAt || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f-]{36}$/.test(id ?? '')) throw new BadRequestException('cursor: is not a cursor from a previous page');
  return { createdAt, id };
}

/** Read side of clips, honouring visibility: a creator sees only their own clips. */
@Injectable()
export class ClipQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plan: PipelinePlan,
  ) {}

  async get(id: string, principal: Principal): Promise<ClipDto> {
    const clip = await this.dataSource.getRepository(ClipEntity).findOne({ where: { id } });
    // Someone else's clip answers like a missing one, so ids cannot be probed.
    if (!clip || (!canSeeAllClips(principal) && clip.createdBy !== principal.userId)) throw new NotFoundException(`clip ${id} not found`);
    const stages = await this.dataSource.getRepository(StageResultEntity).find({ where: { clipId: id }, order: { startedAt: 'ASC' } });
    const transitions: { at: Date; body: { from: ClipState; to: ClipState; reason: string | null } }[] = await this.dataSource.query(
      `SELECT at, body FROM audit_events WHERE subject_type = 'clip' AND subject_id = $1 AND action = 'clip.transition' ORDER BY seq`,
      [id],
    );
    return {
      id: clip.id,
      state: clip.state,
      source: clip.source,
      prompt: clip.prompt,
      generator: clip.generator,
      createdBy: clip.createdBy,
      flagged: clip.flagged,
      failureReason: clip.failureReason,
      media: clip.media,
      checks: this.checks(stages, clip.source),
      stages: stages.map(toStageDto),
      transitions: [
        { from: null, to: 'SUBMITTED', at: clip.createdAt.toISOString(), reason: null },
        ...transitions.map((t) => ({ from: t.body.from, to: t.body.to, at: new Date(t.at).toISOString(), reason: t.body.reason })),
      ],
      review: await this.review(id, canSeeAllClips(principal)),
      release: await readRelease(this.dataSource, this.plan, id),
      createdAt: clip.createdAt.toISOString(),
      updatedAt: clip.updatedAt.toISOString(),
    };
  }

  async list(principal: Principal, query: { state?: string; limit?: string; cursor?: string }): Promise<Page<ClipSummaryDto>> {
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new BadRequestException('limit: must be an integer from 1 to 200');
    if (query.state !== undefined && !ClipStateMachine.isState(query.state)) throw new BadRequestException(`state: unknown clip state ${JSON.stringify(query.state)}`);
    const qb = this.dataSource.getRepository(ClipEntity).createQueryBuilder('c').orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit + 1);
    if (query.state) qb.andWhere('c.state = :state', { state: query.state });
    if (!canSeeAllClips(principal)) qb.andWhere('c.created_by = :owner', { owner: principal.userId });
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      qb.andWhere('(c.created_at, c.id) < (:createdAt, :id)', c);
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return {
      items: items.map((c) => ({ id: c.id, state: c.state, source: c.source, prompt: c.prompt, createdBy: c.createdBy, flagged: c.flagged, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString() })),
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
    };
  }

  /** The current review round and every decision; who decided is shown to staff only, notes never. */
  private async review(id: string, staff: boolean): Promise<ClipReviewDto | null> {
    const [item]: { round: number; cause: ReviewCause; priority: number; due_at: Date; open: boolean; four_eyes: boolean; approvals: number }[] = await this.dataSource.query(
      `SELECT r.round, r.cause, r.priority, r.due_at, (r.closed_at IS NULL AND c.state = 'AWAITING_REVIEW') AS open,
              (r.four_eyes OR c.flagged) AS four_eyes, cardinality(r.approved_by) AS approvals
         FROM review_items r JOIN clips c ON c.id = r.clip_id WHERE r.clip_id = $1`,
      [id],
    );
    if (!item) return null;
    const decisions: { round: number; decision: ReviewDecisionKind; reason_code: string; reason_catalog_version: string; reviewer_id: string; senior: boolean; decided_at: Date }[] =
      await this.dataSource.query(
        `SELECT round, decision, reason_code, reason_catalog_version, reviewer_id, senior, decided_at FROM review_decisions WHERE clip_id = $1 ORDER BY decided_at, id`,
        [id],
      );
    return {
      round: item.round,
      cause: item.cause,
      priority: priorityName(item.priority),
      dueAt: item.due_at.toISOString(),
      open: item.open,
      fourEyes: item.four_eyes,
      approvals: item.approvals,
      approvalsNeeded: approvalsNeeded(item.four_eyes),
      decisions: decisions.map((d) => ({
        round: d.round,
        decision: d.decision,
        reasonCode: d.reason_code,
        reasonCatalogVersion: d.reason_catalog_version,
        reviewerId: staff ? d.reviewer_id : null,
        senior: d.senior,
        at: d.decided_at.toISOString(),
      })),
    };
  }

  /** Per check: not part of this build, or pending / ran / failed for this clip. */
  private checks(stages: StageResultEntity[], source: ClipSource): Record<CheckKind, ClipCheckDto> {
    const provided = this.plan.checksProvided(source);
    const entries = CHECK_KINDS.map((kind): [CheckKind, ClipCheckDto] => {
      const stageNames = provided.get(kind)?.map((s) => s.name);
      if (!stageNames) return [kind, { status: 'not_available', note: `${kind}: ${PipelinePlan.notBuiltNote}` }];
      const results = stages.filter((s) => stageNames.includes(s.stage));
      const status = results.some((r) => r.status === 'failed') ? 'failed' : results.length === stageNames.length ? 'ran' : 'pending';
      return [kind, { status, note: null }];
    });
    return Object.fromEntries(entries) as Record<CheckKind, ClipCheckDto>;
  }
}

function toStageDto(s: StageResultEntity): StageResultDto {
  return {
    stage: s.stage,
    status: s.status,
    verdict: s.verdict,
    attempts: s.attempts,
    startedAt: s.startedAt.toISOString(),
    finishedAt: s.finishedAt.toISOString(),
    result: s.result,
    error: s.error,
  };
}
