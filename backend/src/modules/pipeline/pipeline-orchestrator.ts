import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClipState, StageName } from '@provenant/shared';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { Outbox } from '../outbox/outbox';
import { PipelinePlan } from './pipeline-plan';
import { stageJobId, stageQueueName, type StageClip } from './pipeline-stage';

interface ClipRow extends StageClip {
  state: ClipState;
}

/**
 * Decides what happens to a clip next: walks it into the phase of its next
 * pending stage and enqueues that stage (through the outbox), or, when no
 * stage is left, hands it to review. Called in the same transaction as the
 * change that made progress, and safe to call twice.
 */
@Injectable()
export class PipelineOrchestrator {
  constructor(
    private readonly plan: PipelinePlan,
    private readonly transitions: ClipTransitions,
    private readonly outbox: Outbox,
  ) {}

  async advance(manager: EntityManager, clipId: string, actor: string): Promise<void> {
    const clip = await this.lockClip(manager, clipId);
    const route = this.plan.route(clip.source);
    if (!route.includes(clip.state) || clip.state === 'AWAITING_REVIEW') return;

    const succeeded = await this.succeededStages(manager, clipId);
    const next = this.plan.nextStage(clip, succeeded);
    const target: ClipState = next ? next.phase : 'AWAITING_REVIEW';

    let current: ClipState = clip.state;
    for (const state of this.plan.pathBetween(clip.source, current, target)) {
      const stagesHere = this.plan.stages.filter((s) => s.phase === state && s.appliesTo(clip)).map((s) => s.name);
      await this.transitions.transition(manager, clipId, current, state, {
        actor,
        details: { stagesInPhase: stagesHere, ...(stagesHere.length === 0 && state !== 'AWAITING_REVIEW' ? { note: 'no stage runs in this phase in this build' } : {}) },
      });
      current = state;
    }
    if (next) {
      await this.outbox.enqueue(manager, stageQueueName(next.name), stageJobId(clipId, next.name), { clipId, stage: next.name });
    }
  }

  async lockClip(manager: EntityManager, clipId: string): Promise<ClipRow> {
    const rows = await manager.query(
      `SELECT id, state, source, prompt, generator, reference_image_sha256 AS "referenceImageSha256",
              reference_image_type AS "referenceImageType", media_sha256 AS "mediaSha256", media
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
