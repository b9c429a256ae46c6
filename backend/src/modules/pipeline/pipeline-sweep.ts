import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PROCESSING_STATES, type AuditEntry } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';
import { ClipRepository } from '../lifecycle/clip.repository';
import { LostJobs, type LostJobFate } from '../outbox/lost-jobs';
import { PeriodicTask } from '../core/periodic-task';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { StageResultRepository } from './stage-result.repository';
import { stageJobId, stageQueueName } from './pipeline-stage';

const SWEEP_ACTOR = 'worker';
/** Clips looked at per sweep; the oldest come first, so a stuck one is reached even behind a long backlog. */
const CLIPS_PER_SWEEP = 100;

/**
 * Why the stage is re-driven, by what became of its last job (the `reason` of the audit event). Every fate counts:
 * a stage job that ended has its outcome recorded before it ends (a failed one marks the clip FAILED), so a clip
 * still in the phase behind an ended job lost that outcome, to a database outage, and gets one more round.
 */
const REDRIVE_REASONS: Readonly<Record<LostJobFate, string>> = {
  completed: 'job completed without the clip moving on',
  failed: 'job failed without the clip being marked failed',
  missing: 'job missing',
};
const LOST_FATES = Object.keys(REDRIVE_REASONS) as LostJobFate[];

/**
 * The pipeline's safety net (worker processes): every SWEEP_INTERVAL_MS it
 * looks for clips that sit in a processing phase, untouched for
 * SWEEP_GRACE_MS, and re-enqueues (through the outbox) each stage of the
 * phase that could run but has no live job (nothing in the outbox, nothing
 * waiting, active or delayed in BullMQ), recording `pipeline.redriven` in
 * the audit log. Such a clip lost its job: Redis lost it, or a job ended
 * while the database was away so that its outcome could not be recorded.
 * The audit events are appended together at the end of a sweep, so the
 * audit log's head is not held while the sweep asks Redis about jobs.
 */
@Injectable()
export class PipelineSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly turns = new PeriodicTask('pipeline sweep', this.config.SWEEP_INTERVAL_MS, () => this.sweep());
  /**
   * Processing phases in which a stage runs. SUBMITTED and APPROVED are only passed
   * through, inside the transaction that moves the clip on; review, where a human acts,
   * is not a processing phase.
   */
  private readonly phases = PROCESSING_STATES.filter((state) => this.plan.stages.some((s) => s.phase === state));

  constructor(
    private readonly dataSource: DataSource,
    private readonly plan: PipelinePlan,
    private readonly orchestrator: PipelineOrchestrator,
    private readonly lostJobs: LostJobs,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.turns.start();
  }

  onApplicationShutdown(): void {
    this.turns.stop();
  }

  /** One sweep; returns how many clips it re-drove, or null when another process has this turn. */
  sweep(): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.clips.takeSweepTurn(m))) return null;
      const redriven: AuditEntry[] = [];
      for (const clipId of await this.clips.lockUntouched(m, this.phases, this.config.SWEEP_GRACE_MS, CLIPS_PER_SWEEP)) {
        redriven.push(...(await this.redriveIfLost(m, clipId)));
      }
      await this.audit.appendMany(m, redriven);
      return redriven.length;
    });
  }

  /** Re-drives each stage of the clip's phase that can run but has no live job; the clip is locked by the caller's transaction. */
  private async redriveIfLost(m: EntityManager, clipId: string): Promise<AuditEntry[]> {
    const clip = await this.orchestrator.lockClip(m, clipId);
    // The orchestrator enqueues a phase's ready stages as they become ready; only such a stage can have lost its job.
    const ready = this.plan.readyStages(clip, clip.state, await this.stageResults.succeededStages(m, clipId));
    const redriven: AuditEntry[] = [];
    for (const { name: stage } of ready) {
      const job = { queue: stageQueueName(stage), jobId: stageJobId(clipId, stage), payload: { clipId, stage } };
      const fate = await this.lostJobs.redispatchIfLost(m, job, LOST_FATES);
      if (fate) redriven.push({ actor: SWEEP_ACTOR, action: 'pipeline.redriven', subjectType: 'clip', subjectId: clipId, body: { stage, reason: REDRIVE_REASONS[fate] } });
    }
    return redriven;
  }
}
