import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  APPEAL_REASON_CATALOG_VERSION,
  APPEAL_REASON_CODES,
  APPEAL_STATUSES,
  appealReason,
  type AppealDecisionRequest,
  type AppealResultDto,
  type AppealStatus,
  type ModerationStageResult,
  type PromptAppealDto,
} from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../core/hashing';
import { maySeeClip } from '../core/visibility';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewItemRepository } from '../review/review-item.repository';
import { ReviewReopeningRepository } from '../review/review-reopening.repository';
import { refuseAppeal, refuseAppealDecision, type AppealClip, type AppealRefusal } from './appeal-rules';
import { clipAppealDto } from './clip-appeal-dto';
import { PromptAppealRepository } from './prompt-appeal.repository';

const EXCEPTIONS = { 403: ForbiddenException, 404: NotFoundException, 409: ConflictException } as const;
function refuse(refusal: AppealRefusal | null): void {
  if (refusal) throw new EXCEPTIONS[refusal.status](refusal.message);
}

/**
 * Appeals of prompt blocks. The creator files one with a written reason; a
 * senior reviewer grants or denies it with a reason code and a note. A grant
 * is an override of the prompt's block, represented as one: the clip is
 * flagged and a review_reopenings row (blocked_override) names its granter
 * for the round it leads to, then it resumes at generation through the
 * lifecycle; the round is four-eyes and the granter may not review it.
 * Each change and its audit events are written in one transaction.
 */
@Injectable()
export class PromptAppeals {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly transitions: ClipTransitions,
    private readonly clips: ClipRepository,
    private readonly items: ReviewItemRepository,
    private readonly reopenings: ReviewReopeningRepository,
    private readonly appeals: PromptAppealRepository,
    private readonly stageResults: StageResultRepository,
  ) {}

  async file(p: Principal, clipId: string, reason: string): Promise<AppealResultDto> {
    return this.dataSource.transaction(async (m) => {
      const clip = await this.lockClip(m, clipId, p);
      refuse(refuseAppeal(clipId, clip, p.userId, await this.appeals.lock(m, clipId)));
      const reasonSha256 = sha256Hex(reason);
      await this.appeals.insert(m, { clipId, appellantId: p.userId, reason, reasonSha256 });
      await this.audit.append(m, { actor: actorOf(p), action: 'clip.appealed', subjectType: 'clip', subjectId: clipId, body: { reasonSha256 } });
      await this.publish(m, clipId, clip, 'pending');
      return { clipId, status: 'pending', state: clip.state };
    });
  }

  async decide(p: Principal, clipId: string, request: AppealDecisionRequest): Promise<AppealResultDto> {
    const reason = appealReason(request.decision, request.reasonCode);
    if (!reason || reason.retired) {
      const valid = APPEAL_REASON_CODES[request.decision].map((r) => r.code).join(', ');
      throw new BadRequestException(`reasonCode: ${JSON.stringify(request.reasonCode)} is not a reason to ${request.decision} an appeal in catalog ${APPEAL_REASON_CATALOG_VERSION}; valid: ${valid}`);
    }
    return this.dataSource.transaction(async (m) => {
      const clip = await this.lockClip(m, clipId, p);
      refuse(refuseAppealDecision(clipId, clip, p.userId, await this.appeals.lock(m, clipId)));
      const actor = actorOf(p);
      const noteSha256 = sha256Hex(request.note);
      const granted = request.decision === 'grant';
      await this.appeals.decide(m, clipId, { decision: request.decision, decidedBy: p.userId, reasonCode: request.reasonCode, reasonCatalogVersion: APPEAL_REASON_CATALOG_VERSION, note: request.note, noteSha256 });
      // As an override does: flagged, and the round it leads to recorded (cause, who may not review it) before the clip moves.
      const round = granted ? (await this.items.currentRound(m, clipId)) + 1 : null;
      if (round !== null) {
        await this.clips.markFlagged(m, clipId);
        await this.reopenings.insert(m, { clipId, round, kind: 'blocked_override', actorId: p.userId, reason: request.note, reasonSha256: noteSha256 });
      }
      await this.audit.append(m, {
        actor,
        action: 'review.appeal_decided',
        subjectType: 'clip',
        subjectId: clipId,
        body: { decision: request.decision, reasonCode: request.reasonCode, reasonCatalogVersion: APPEAL_REASON_CATALOG_VERSION, noteSha256, round },
      });
      const status: AppealStatus = granted ? 'granted' : 'denied';
      await this.publish(m, clipId, clip, status);
      if (granted) {
        // The lifecycle resumes the pipeline at generation and tells listeners, in this transaction.
        await this.transitions.transition(m, clipId, 'BLOCKED', 'GENERATING', {
          actor,
          reason: `prompt block lifted on appeal by a senior reviewer (${request.reasonCode})`,
          details: { cause: 'blocked_override', reasonSha256: noteSha256, reasonCode: request.reasonCode },
        });
      }
      return { clipId, status, state: granted ? 'GENERATING' : clip.state };
    });
  }

  /** Appeals with a status (pending by default, oldest first), each with the clip and its prompt moderation evidence. */
  async list(query: { status?: string; limit: number }): Promise<PromptAppealDto[]> {
    const status = (query.status ?? 'pending') as AppealStatus;
    if (!APPEAL_STATUSES.includes(status)) throw new BadRequestException(`status: must be one of ${APPEAL_STATUSES.join(', ')}`);
    const rows = await this.appeals.list(this.dataSource, status, query.limit);
    return Promise.all(
      rows.map(async (r) => ({
        clipId: r.clipId,
        state: r.state,
        prompt: r.prompt,
        submittedBy: r.createdBy,
        blockReason: r.failureReason,
        moderation: ((await this.stageResults.succeeded(this.dataSource, r.clipId, 'prompt_moderation'))?.result as ModerationStageResult | undefined) ?? null,
        appeal: clipAppealDto(r, true),
      })),
    );
  }

  /** Locks the clip (before its appeal: the order every writer uses); someone else's clip answers like a missing one. */
  private async lockClip(m: EntityManager, clipId: string, p: Principal): Promise<AppealClip> {
    const locked = await this.clips.lockForDecision(m, clipId);
    if (!locked || !maySeeClip(p, locked.createdBy)) throw new NotFoundException(`clip ${clipId} not found`);
    const { source } = (await this.clips.findById(m, clipId))!;
    return { ...locked, source };
  }

  private async publish(m: EntityManager, clipId: string, clip: AppealClip, status: AppealStatus): Promise<void> {
    await this.clips.publishEvent(m, { clipId, createdBy: clip.createdBy, state: clip.state, stage: null, at: new Date().toISOString(), appeal: { status } });
  }
}
