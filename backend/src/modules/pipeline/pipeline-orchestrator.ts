import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClipState, StageName } from '@provenant/shared';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { WebhookFanout } from '../notifications/webhook-fanout';
import { Outbox } from '../outbox/outbox';
import { ReviewQueue } from '../review/review-queue';
import { PipelinePlan } from './pipeline-plan';
import { stageJobId, stageQueueName, type ReleaseStageResult, type StageClip } from './pipeline-stage';

interface ClipRow extends StageClip {
  state: ClipState;
}

/**
 * Decides what happens to a clip next: walks it into the phase of its next
 * pending stage and enqueues that stage (through the outbox), or, when no
 * stage is left, to the next stop: review before approval, RELEASED after
 * the release stage. Called in the same transaction as the change that made
 * progress, and safe to call twice.
 */
@Injectable()
export class PipelineOrchestrator {
  constructor(
    private readonly plan: PipelinePlan,
    private readonly transitions: ClipTransitions,
    private readonly outbox: Outbox,
    private readonly reviewQueue: ReviewQueue,
    private readonly webhooks: WebhookFanout,
  ) {}

  async advance(manager: EntityManager, clipId: string, actor: string): Promise<void> {
    const clip = await this.lockClip(manager, clipId);
    const stop = this.plan.nextStop(clip.source, clip.state);
    if (!stop) return;

    const succeeded = await this.succeededStages(manager, clipId);
    const next = this.plan.nextStage(clip, clip.state, succeeded);
    const target: ClipState = next ? next.phase : stop;

    let current: ClipState = clip.state;
    for (const state of this.plan.pathBetween(clip.source, current, target)) {
      const stagesHere = this.plan.stages.filter((s) => s.phase === state && s.appliesTo(clip)).map((s) => s.name);
      const details: Record<string, unknown> = { stagesInPhase: stagesHere };
      if (stagesHere.length === 0 && state !== stop) details.note = 'no stage runs in this phase in this build';
      if (state === 'RELEASED') Object.assign(details, await this.releaseGate(manager, clipId, succeeded));
      await this.transitions.transition(manager, clipId, current, state, { actor, details });
      current = state;
      if (state === 'AWAITING_REVIEW') await this.reviewQueue.open(manager, clipId, 'pipeline', actor);
      await this.webhooks.clipReached(manager, clipId, state);
    }
    if (next) {
      await this.outbox.enqueue(manager, stageQueueName(next.name), stageJobId(clipId, next.name), { clipId, stage: next.name });
    }
  }

  /** A clip reaches RELEASED only after the release stage succeeded; its result goes into the audit record. */
  private async releaseGate(manager: EntityManager, clipId: string, succeeded: ReadonlySet<StageName>): Promise<Pick<ReleaseStageResult, 'releasedSha256' | 'signed' | 'note'>> {
    const gate = this.plan.releaseStage();
    if (!succeeded.has(gate.name)) throw new Error(`release gate: clip ${clipId} has not passed the ${gate.name} stage`);
    const [row]: { result: ReleaseStageResult }[] = await manager.query(`SELECT result FROM stage_results WHERE clip_id = $1 AND stage = $2`, [clipId, gate.name]);
    return { releasedSha256: row.result.releasedSha256, signed: row.result.signed === true, note: row.result.note ?? null };
  }

  async lockClip(manager: EntityManager, clipId: string): Promise<ClipRow> {
    const rows = await manager.query(
      `SELECT id, state, source, prompt, generator, reference_image_sha256 AS "referenceImageSha256",
              reference_image_type AS "referenceImageType", media_sha256 AS "mediaSha256", media,
              (SELECT approved_media_sha256 FROM review_items r WHERE r.clip_id = clips.id) AS "approvedMediaSha256"
         FROM clips WHERE id = $1 FOR UPDATE`,
      [clipId],
    );
    if (rows.length === 0) throw new Error(`clip ${clipId} does not exist`);
    return rows[0] as ClipRow;
  }

  async succeededStages(manager: EntityManager, clipId: string): Promise<Set<StageName>> {
    const rows: { stage: StageName }[] = await manager.query(`SELECT stage FROM stage_results WHERE clip_id = $1 AND status = 'succeeded'`, [clipId]);
    return new Set(rows.map((r) => r.stage));
  }
}
