import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { FAILURE_REASONS, PROCESSING_STATES, STAGE_CHECK } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import type { ContentStore } from '../../engines/storage/content-store';
import { AuditLog } from '../audit/audit-log';
import { withoutServerPaths } from '../core/server-paths';
import { databaseRetryDelayMs, databaseUnavailableReason, isDatabaseUnavailable } from '../core/database-errors';
import { APP_CONFIG, CONTENT_STORE } from '../core/tokens';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { redisConnection } from '../outbox/queue-connections';
import { logger } from '../core/logger';
import { stageDurationSeconds, stageFailuresTotal } from './stage-metrics';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { StageRejection, stageQueueName, type PipelineStage, type StageOutcome } from './pipeline-stage';
import { StageResultRepository } from './stage-result.repository';

interface StageJobData {
  clipId: string;
}

const WORKER_ACTOR = 'worker';

/**
 * Runs every stage of the plan as a BullMQ worker on its own queue. Owns the
 * bookkeeping around a stage (idempotency, results, retries, FAILED), so that
 * stages themselves contain only their check. A database outage is not a
 * stage failure: the job waits it out in BullMQ's delayed set without
 * spending an attempt, and is never completed without its work recorded.
 */
@Injectable()
export class StageWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly workers: Worker[] = [];
  private readonly running = new Set<AbortController>();

  constructor(
    private readonly plan: PipelinePlan,
    private readonly orchestrator: PipelineOrchestrator,
    private readonly transitions: ClipTransitions,
    private readonly audit: AuditLog,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly dataSource: DataSource,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const stage of this.plan.stages) {
      const worker = new Worker<StageJobData>(stageQueueName(stage.name), (job, token) => this.process(stage, job, token), {
        connection: redisConnection(this.config.REDIS_URL, true),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: this.config.WORKER_CONCURRENCY,
        lockDuration: this.config.JOB_LOCK_MS,
        stalledInterval: this.config.STALLED_INTERVAL_MS,
        maxStalledCount: 2,
      });
      worker.on('failed', (job, err) => {
        if (job && (err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1))) {
          const reason = /stalled/i.test(err.message) ? 'STAGE_STALLED' : 'STAGE_RETRIES_EXHAUSTED';
          // If the database is away now, the clip stays in its phase with a dead job: PipelineSweep re-drives it later.
          void this.failClip(stage, job.data.clipId, reason, err.message, job.attemptsMade, new Date()).catch((e) =>
            logger.error({ err: (e as Error).message, clipId: job.data.clipId, stage: stage.name }, 'could not mark clip failed; the pipeline sweep will re-drive it'),
          );
        }
      });
      worker.on('error', (err) => logger.warn({ stage: stage.name, err: err.message }, 'stage worker error'));
      this.workers.push(worker);
    }
    logger.info({ stages: this.plan.stages.map((s) => s.name) }, 'stage workers started');
  }

  /** Let running jobs finish within the grace period; after it, hand them back (their locks lapse and another worker picks them up). */
  async onApplicationShutdown(): Promise<void> {
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    const timedOut = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.config.SHUTDOWN_GRACE_MS).unref());
    if ((await Promise.race([graceful, timedOut])) === 'timeout') {
      logger.warn({ running: this.running.size }, 'shutdown grace period over; handing running jobs back');
      for (const c of this.running) c.abort(new Error('worker shutting down'));
      await Promise.all(this.workers.map((w) => w.close(true)));
    }
  }

  /** Runs the stage; when the database is unavailable, moves the job to delayed (no attempt spent) and tries again after a backoff. */
  private async process(stage: PipelineStage, job: Job<StageJobData>, token: string | undefined): Promise<string> {
    try {
      return await this.runStage(stage, job);
    } catch (err) {
      const reason = databaseUnavailableReason(err);
      if (!reason) throw err;
      // Starts that spent no attempt: the deferrals so far (and stalls, which only lengthen the wait).
      const deferrals = Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
      const delayMs = databaseRetryDelayMs(deferrals);
      logger[deferrals === 0 ? 'warn' : 'debug']({ stage: stage.name, clipId: job.data.clipId, reason, delayMs }, 'database unavailable; stage job deferred');
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  }

  private async runStage(stage: PipelineStage, job: Job<StageJobData>): Promise<string> {
    const { clipId } = job.data;
    const clip = await this.dataSource.transaction((m) => this.clips.lockForStage(m, clipId));
    if (!clip) return 'clip no longer exists';
    const succeeded = await this.stageResults.succeededStages(this.dataSource, clipId);
    if (succeeded.has(stage.name)) {
      // A duplicate or retried job: the work is done; make sure the clip moved on.
      await this.dataSource.transaction((m) => this.orchestrator.advance(m, clipId, WORKER_ACTOR));
      return 'already done';
    }
    if (clip.state !== stage.phase) return `skipped: clip is ${clip.state}`;

    const startedAt = new Date();
    const abort = new AbortController();
    this.running.add(abort);
    let outcome: StageOutcome;
    try {
      outcome = await stage.run({ clip, store: this.store, signal: abort.signal, attempt: job.attemptsMade + 1, framesWanted: this.plan.framesWanted(clip) });
    } catch (err) {
      // Shutting down: the job is handed back unfinished (its lock lapses and another worker takes it), not failed.
      // The database being away is not the stage's failure either: process() defers the job.
      if (abort.signal.aborted || isDatabaseUnavailable(err)) throw err;
      const final = err instanceof StageRejection || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      stageFailuresTotal.inc({ stage: stage.name, final: String(final) });
      stageDurationSeconds.observe({ stage: stage.name, outcome: 'error' }, (Date.now() - startedAt.getTime()) / 1000);
      const message = (err as Error).message;
      logger.warn({ stage: stage.name, clipId, attempt: job.attemptsMade + 1, final, err: message }, 'stage failed');
      if (final) {
        const code = err instanceof StageRejection ? err.reasonCode : 'STAGE_RETRIES_EXHAUSTED';
        await this.failClip(stage, clipId, code, message, job.attemptsMade + 1, startedAt);
        throw new UnrecoverableError(message);
      }
      throw err;
    } finally {
      this.running.delete(abort);
    }
    stageDurationSeconds.observe({ stage: stage.name, outcome: outcome.verdict }, (Date.now() - startedAt.getTime()) / 1000);
    const recorded = await this.dataSource.transaction((m) => this.complete(m, stage, clipId, outcome, job.attemptsMade + 1, startedAt));
    // A late result's media (a render for a clip that was blocked meanwhile) is nobody's: it is discarded.
    if (!recorded && outcome.media && !(await this.clips.usesMedia(this.dataSource, outcome.media.sha256))) await this.store.remove(outcome.media.sha256);
    return outcome.verdict;
  }

  /**
   * Records the stage's success and moves the clip on. A result that arrives after the clip left the
   * stage's phase (another stage of the phase blocked it, or it failed) is recorded in the audit log
   * only: it moves nothing, replaces no recorded failure, and its media is not the clip's, so a clip
   * brought back (an overridden block) runs the stage again. Returns whether the result was recorded.
   */
  private async complete(m: EntityManager, stage: PipelineStage, clipId: string, outcome: StageOutcome, attempts: number, startedAt: Date): Promise<boolean> {
    const clip = await this.orchestrator.lockClip(m, clipId);
    // The clip row is locked: a concurrent run of this job waits here and then sees the success.
    if ((await this.stageResults.succeededStages(m, clipId)).has(stage.name)) return true;
    const late = clip.state !== stage.phase;
    const auditEventId = await this.audit.append(m, {
      actor: WORKER_ACTOR,
      action: 'stage.completed',
      subjectType: 'clip',
      subjectId: clipId,
      body: { stage: stage.name, check: STAGE_CHECK[stage.name], verdict: outcome.verdict, attempts, mediaSha256: outcome.media?.sha256 ?? null, ...(late ? { late } : {}) },
    });
    if (late) return false;
    await this.stageResults.recordSucceeded(m, clipId, stage.name, { verdict: outcome.verdict, attempts, result: outcome.result, startedAt, auditEventId });
    await this.clips.recordStageOutput(m, clipId, {
      mediaSha256: outcome.media?.sha256 ?? null,
      media: outcome.media?.info ?? null,
      generator: outcome.generator ?? null,
      flag: outcome.verdict === 'review',
    });
    const { createdBy } = (await this.clips.findById(m, clipId))!;
    await this.clips.publishEvent(m, { clipId, createdBy, state: clip.state, stage: stage.name, at: new Date().toISOString() });
    if (outcome.verdict === 'block') {
      // Ends the phase at once; the other stages' results, when they come, move nothing.
      await this.transitions.transition(m, clipId, clip.state, 'BLOCKED', { actor: WORKER_ACTOR, reason: outcome.reason ?? `${stage.name} blocked the clip` });
    } else {
      await this.orchestrator.advance(m, clipId, WORKER_ACTOR, stage.name);
    }
    return true;
  }

  /** Idempotent: only a clip still being processed in this stage's phase is failed. A missing clip is not an error; a database error propagates. */
  private async failClip(stage: PipelineStage, clipId: string, code: string, error: string, attempts: number, startedAt: Date): Promise<void> {
    // The reason reaches the creator, webhooks and the audit log; the full message stays in the worker's log.
    const message = withoutServerPaths(error);
    await this.dataSource.transaction(async (m) => {
      const clip = await this.clips.lockForStage(m, clipId);
      if (!clip || clip.state !== stage.phase || !PROCESSING_STATES.includes(clip.state)) return;
      await this.stageResults.recordFailed(m, clipId, stage.name, { attempts, error: message, startedAt });
      const label = FAILURE_REASONS[code as keyof typeof FAILURE_REASONS] ?? code;
      await this.transitions.transition(m, clipId, clip.state, 'FAILED', {
        actor: WORKER_ACTOR,
        reason: `${stage.name}: ${message}`,
        details: { reasonCode: code, reasonLabel: label, attempts },
      });
    });
  }
}
