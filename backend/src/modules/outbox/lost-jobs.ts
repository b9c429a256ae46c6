import { Inject, Injectable } from '@nestjs/common';
import type { JobState } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { logger } from '../core/logger';
import { APP_CONFIG } from '../core/tokens';
import { Outbox } from './outbox';
import { jobsRedispatchedTotal } from './outbox-metrics';
import { OutboxRepository } from './outbox.repository';
import { QueueConnections } from './queue-connections';

/** What became of a job that will never run again: gone from Redis (a flush, a failover to an empty replica), or ended. */
export type LostJobFate = 'missing' | 'completed' | 'failed';

/** BullMQ states of a job that will never run again; any other state means it is still on its way. */
const ENDED_STATES: readonly (JobState | 'unknown')[] = ['completed', 'failed'];

export interface ExpectedJob {
  queue: string;
  /** The deterministic id the job was first dispatched under; BullMQ ignores a second job with a live one's id. */
  jobId: string;
  payload: Record<string, unknown>;
}

/**
 * Finds out whether a job that Postgres says should exist is still alive in
 * BullMQ, and if not hands it to the outbox again under the same job id, in
 * the caller's transaction. Outbox rows are marked dispatched once Redis has
 * them, so only this check notices Redis losing them. The sweeps that call it
 * decide which fates count as lost for their queue.
 */
@Injectable()
export class LostJobs {
  constructor(
    private readonly outbox: Outbox,
    private readonly outboxRows: OutboxRepository,
    private readonly queues: QueueConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Re-dispatches the job when its fate is one of `lost`; returns that fate, or null when the job is alive (or its fate is not one of them). */
  async redispatchIfLost(m: EntityManager, expected: ExpectedJob, lost: readonly LostJobFate[]): Promise<LostJobFate | null> {
    const { queue: queueName, jobId, payload } = expected;
    if (await this.outboxRows.hasUndispatched(m, queueName, jobId)) return null;

    const queue = this.queues.get(queueName);
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'unknown';
    const fate: LostJobFate | null = state === 'unknown' ? 'missing' : ENDED_STATES.includes(state) ? (state as LostJobFate) : null;
    if (!fate || !lost.includes(fate)) return null;
    // A job that has just ended gets the grace period too: its worker may be recording the outcome right now.
    if (job?.finishedOn && Date.now() - job.finishedOn < this.config.SWEEP_GRACE_MS) return null;
    // An ended job keeps its id taken (BullMQ would ignore a new job with it): remove it first. 0 means it is running after all.
    if (fate !== 'missing' && (await queue.remove(jobId)) === 0) return null;

    await this.outbox.enqueue(m, queueName, jobId, payload);
    jobsRedispatchedTotal.inc({ queue: queueName, fate });
    logger.warn({ queue: queueName, jobId, fate }, 're-dispatched a lost job');
    return fate;
  }
}
