import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PROCESSING_STATES, type ClipState, type ClipTransitionBody, type StageName } from '@provenant/shared';
import type { ClipReached, ClipReachedSubscriber } from '../lifecycle/clip-reached';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository, type ClipForStage } from '../lifecycle/clip.repository';
import { Outbox } from '../outbox/outbox';
import { PipelinePlan } from './pipeline-plan';
import { stageJobId, stageQueueName, type ReleaseStageResult } from './pipeline-stage';
import { StageResultRepository } from './stage-result.repository';

/**
 * Decides what happens to a clip next: walks it into the phase of its next
 * pending stage and enqueues the stages of that phase that can run (side by
 * side, through the outbox), or, when no
 * stage is left, to the next stop: review before approval, RELEASED after
 * the signing stage. Called in the same transaction as the change that made
 * progress, and safe to call twice. A person moving a clip back into the
 * pipeline (an approval, an overridden block) resumes it through the lifecycle.
 */
@Injectable()
export class PipelineOrchestrator implements ClipReachedSubscriber, OnModuleInit {
  readonly consequence = 'pipeline' as const;

  constructor(
    private readonly plan: PipelinePlan,
    private readonly transitions: ClipTransitions,
    private readonly outbox: Outbox,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
  ) {}

  onModuleInit(): void {
    this.transitions.subscribe(this);
  }

  /** The pipeline's own moves start in a processing state; a move from outside it into one is a person's, and the pipeline resumes. */
  async onClipReached(manager: EntityManager, event: ClipReached): Promise<void> {
    if (!PROCESSING_STATES.includes(event.from) && PROCESSING_STATES.includes(event.to)) await this.advance(manager, event.clipId, event.actor);
  }

  /**
   * `completed`: the stage whose success led here. Entering a phase enqueues every stage of it
   * that can run; within a phase, only those that were waiting for `completed`.
   */
  async advance(manager: EntityManager, clipId: string, actor: string, completed?: StageName): Promise<void> {
    const clip = await this.lockClip(manager, clipId);
    const stop = this.plan.nextStop(clip.source, clip.state);
    if (!stop) return;

    const succeeded = await this.stageResults.succeededStages(manager, clipId);
    const next = this.plan.nextStage(clip, clip.state, succeeded);
    const target: ClipState = next ? next.phase : stop;

    let current: ClipState = clip.state;
    const entering = target !== current;
    for (const state of this.plan.pathBetween(clip.source, current, target)) {
      const stagesHere = this.plan.stages.filter((s) => s.phase === state && s.appliesTo(clip)).map((s) => s.name);
      const details: Omit<ClipTransitionBody, 'from' | 'to' | 'reason'> = { stagesInPhase: stagesHere };
      if (stagesHere.length === 0 && state !== stop) details.note = 'no stage runs in this phase in this build';
      if (state === 'RELEASED') Object.assign(details, await this.releaseGate(manager, clipId, succeeded));
      await this.transitions.transition(manager, clipId, current, state, { actor, details });
      current = state;
    }
    if (!next) return;
    const ready = this.plan.readyStages(clip, target, succeeded).filter((s) => entering || !completed || (s.needs ?? []).includes(completed));
    for (const stage of ready) {
      await this.outbox.enqueue(manager, stageQueueName(stage.name), stageJobId(clipId, stage.name), { clipId, stage: stage.name });
    }
  }

  /** A clip reaches RELEASED only after the signing stage succeeded; its result goes into the audit record. */
  private async releaseGate(manager: EntityManager, clipId: string, succeeded: ReadonlySet<StageName>): Promise<{ releasedSha256: string; signed: boolean; note: string | null }> {
    const gate = this.plan.releaseStage();
    const signed = succeeded.has(gate.name) ? await this.stageResults.succeeded(manager, clipId, gate.name) : null;
    if (!signed) throw new Error(`release gate: clip ${clipId} has not passed the ${gate.name} stage`);
    const result = signed.result as ReleaseStageResult;
    return { releasedSha256: result.releasedSha256, signed: result.signed === true, note: result.note ?? null };
  }

  async lockClip(manager: EntityManager, clipId: string): Promise<ClipForStage> {
    const clip = await this.clips.lockForStage(manager, clipId);
    if (!clip) throw new Error(`clip ${clipId} does not exist`);
    return clip;
  }
}
