import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CHECK_KINDS,
  ClipStateMachine,
  type CheckKind,
  type ClipCheckDto,
  type ClipDto,
  type ClipReviewDto,
  type ClipSource,
  type ClipSummaryDto,
  LIKENESS_STAGE_NAMES,
  type ClipLikenessStageResult,
  type LikenessStageResult,
  type Page,
  type StageResultDto,
} from '@provenant/shared';
import { clipAppealDto } from '../appeals/clip-appeal-dto';
import { PromptAppealRepository } from '../appeals/prompt-appeal.repository';
import { presentFaces, presentNames } from '../likeness/likeness-evidence';
import { LikenessSubjectRepository } from '../likeness/likeness-subject.repository';
import type { Principal } from '../auth/principal';
import { canSeeAllClips, maySeeClip } from '../core/visibility';
import { isIsoTime } from '../http/query-params';
import { ClipRepository, type ClipSummaryRecord } from '../lifecycle/clip.repository';
import { PipelinePlan } from '../pipeline/pipeline-plan';
import { readRelease } from '../pipeline/release-record';
import { StageResultRepository, type StageResultRecord } from '../pipeline/stage-result.repository';
import { approvalsNeeded } from '../review/approval-rule';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { ReviewItemRepository } from '../review/review-item.repository';
import { priorityName } from '../review/review-queue';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const encodeCursor = (c: ClipSummaryRecord) => Buffer.from(`${c.createdAtExact}|${c.id}`).toString('base64url');
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (rest.length || !isIsoTime(createdAt ?? '') || !UUID.test(id ?? '')) throw new BadRequestException('cursor: must be the nextCursor of a previous page');
  return { createdAt, id };
}

/** Read side of clips, honouring visibility: a creator sees only their own clips. */
@Injectable()
export class ClipQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plan: PipelinePlan,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly items: ReviewItemRepository,
    private readonly decisions: ReviewDecisionRepository,
    private readonly appeals: PromptAppealRepository,
    private readonly subjects: LikenessSubjectRepository,
  ) {}

  async get(id: string, principal: Principal): Promise<ClipDto> {
    const db = this.dataSource;
    const clip = await this.clips.findById(db, id);
    // Someone else's clip answers like a missing one, so ids cannot be probed.
    if (!clip || !maySeeClip(principal, clip.createdBy)) throw new NotFoundException(`clip ${id} not found`);
    const stages = await this.stageResults.listForClip(db, id);
    const transitions = await this.clips.transitionsOf(db, id);
    const appeal = await this.appeals.ofClip(db, id);
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
      stages: await Promise.all(stages.map(async (s) => toStageDto(await this.forReader(s, clip.prompt, principal)))),
      transitions: [
        { from: null, to: 'SUBMITTED', at: clip.createdAt.toISOString(), reason: null },
        ...transitions.map((t) => ({ from: t.from, to: t.to, at: new Date(t.at).toISOString(), reason: t.reason })),
      ],
      review: await this.review(id, canSeeAllClips(principal)),
      appeal: appeal ? clipAppealDto(appeal, canSeeAllClips(principal)) : null,
      release: await readRelease(db, { clips: this.clips, stageResults: this.stageResults }, id),
      createdAt: clip.createdAt.toISOString(),
      updatedAt: clip.updatedAt.toISOString(),
    };
  }

  async list(principal: Principal, query: { state?: string; limit: number; cursor?: string }): Promise<Page<ClipSummaryDto>> {
    const { limit } = query;
    if (query.state !== undefined && !ClipStateMachine.isState(query.state)) throw new BadRequestException(`state: unknown clip state ${JSON.stringify(query.state)}`);
    const rows = await this.clips.page(this.dataSource, {
      limit: limit + 1,
      state: query.state ?? null,
      createdBy: canSeeAllClips(principal) ? null : principal.userId,
      before: query.cursor ? decodeCursor(query.cursor) : null,
    });
    const items = rows.slice(0, limit);
    return {
      items: items.map((c) => ({
        id: c.id,
        state: c.state,
        source: c.source,
        prompt: c.prompt,
        createdBy: c.createdBy,
        flagged: c.flagged,
        createdAt: c.createdAt.toISOString(),
        updatedAt: c.updatedAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]) : null,
    };
  }

  /** The current review round and every decision; who decided is shown to staff only, notes never. */
  private async review(id: string, staff: boolean): Promise<ClipReviewDto | null> {
    const item = await this.items.ofClip(this.dataSource, id);
    if (!item) return null;
    const decisions = await this.decisions.listForClip(this.dataSource, id);
    return {
      round: item.round,
      cause: item.cause,
      priority: priorityName(item.priority),
      dueAt: item.dueAt.toISOString(),
      open: item.open,
      fourEyes: item.fourEyes,
      approvals: item.approvals,
      approvalsNeeded: approvalsNeeded(item.fourEyes),
      decisions: decisions.map((d) => ({
        round: d.round,
        decision: d.decision,
        reasonCode: d.reasonCode,
        reasonCatalogVersion: d.reasonCatalogVersion,
        reviewerId: staff ? d.reviewerId : null,
        senior: d.senior,
        at: d.decidedAt.toISOString(),
      })),
    };
  }

  /** A stage result as this reader may see it: likeness results name the subject to staff only. */
  private async forReader(s: StageResultRecord, prompt: string | null, principal: Principal): Promise<StageResultRecord> {
    if (!(LIKENESS_STAGE_NAMES as readonly string[]).includes(s.stage) || s.status !== 'succeeded') return s;
    const names = s.stage === 'prompt_likeness' ? (s.result as LikenessStageResult) : null;
    const faces = s.stage === 'clip_likeness' ? (s.result as ClipLikenessStageResult) : null;
    const staff = canSeeAllClips(principal);
    const found: Array<{ subjectId: string | null }> = names ? [...names.names, ...(names.referenceFaces ?? [])] : (faces?.faces ?? []);
    const ids = staff ? [...new Set(found.flatMap((n) => (n.subjectId ? [n.subjectId] : [])))] : [];
    const reader = { staff, prompt, displayNames: new Map((await this.subjects.byIds(this.dataSource, ids)).map((subject) => [subject.id, subject.displayName])) };
    return { ...s, result: names ? presentNames(names, reader) : presentFaces(faces!, reader) };
  }

  /** Per check: not part of this build, or pending / ran / failed for this clip. */
  private checks(stages: StageResultRecord[], source: ClipSource): Record<CheckKind, ClipCheckDto> {
    const provided = this.plan.checksProvided(source);
    const entries = CHECK_KINDS.map((kind): [CheckKind, ClipCheckDto] => {
      const provider = provided.get(kind);
      if (!provider) return [kind, { status: 'not_available', note: `${kind}: ${PipelinePlan.notBuiltNote}` }];
      const stageNames = provider.map((s) => s.name);
      const results = stages.filter((s) => stageNames.includes(s.stage));
      const status = results.some((r) => r.status === 'failed') ? 'failed' : results.length === stageNames.length ? 'ran' : 'pending';
      const limits = provider.flatMap((s) => (s.checkNote ? [s.checkNote] : []));
      return [kind, { status, note: limits.length ? `${kind}: ${limits.join('; ')}` : null }];
    });
    return Object.fromEntries(entries) as Record<CheckKind, ClipCheckDto>;
  }
}

function toStageDto(s: StageResultRecord): StageResultDto {
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
