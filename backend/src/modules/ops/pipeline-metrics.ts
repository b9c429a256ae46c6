import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueConnections } from '../outbox/queue-connections';
import { STAGE_NAMES } from '@provenant/shared';
import { ClipRepository } from '../lifecycle/clip.repository';
import { OutboxRepository } from '../outbox/outbox.repository';
import { stageQueueName } from '../pipeline/pipeline-stage';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewQueue } from '../review/review-queue';
import { metricsRegistry } from '../core/metrics';

const queueDepth = new Gauge({ name: 'provenant_queue_jobs', help: 'Jobs per stage queue and state', labelNames: ['queue', 'state'] as const, registers: [metricsRegistry] });
const outboxPending = new Gauge({ name: 'provenant_outbox_pending', help: 'Accepted jobs not yet handed to Redis', registers: [metricsRegistry] });
const clipsByState = new Gauge({ name: 'provenant_clips', help: 'Clips per lifecycle state', labelNames: ['state'] as const, registers: [metricsRegistry] });
const reviewOpen = new Gauge({ name: 'provenant_review_queue_items', help: 'Clips waiting in the review queue, by priority', labelNames: ['priority'] as const, registers: [metricsRegistry] });
const reviewOverdue = new Gauge({ name: 'provenant_review_overdue_items', help: 'Clips in the review queue past their SLA due time, by priority', labelNames: ['priority'] as const, registers: [metricsRegistry] });
const stageResults = new Gauge({ name: 'provenant_stage_results', help: 'Stored stage results by stage and status (all processes)', labelNames: ['stage', 'status'] as const, registers: [metricsRegistry] });

/** Cluster-wide pipeline and review-queue figures, read from Redis and Postgres at scrape time. */
@Injectable()
export class PipelineMetrics {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueConnections,
    private readonly reviewQueue: ReviewQueue,
    private readonly outbox: OutboxRepository,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
  ) {}

  async refresh(): Promise<void> {
    await Promise.all([
      ...STAGE_NAMES.map(async (stage) => {
        const name = stageQueueName(stage);
        const counts = await this.queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed').catch(() => null);
        if (counts) for (const [state, n] of Object.entries(counts)) queueDepth.set({ queue: name, state }, n);
      }),
      this.outbox.pendingCount(this.dataSource).then((n) => outboxPending.set(n)),
      this.clips.countByState(this.dataSource).then((rows) => {
        clipsByState.reset();
        for (const r of rows) clipsByState.set({ state: r.state }, r.n);
      }),
      this.reviewQueue.counts().then((rows) => {
        for (const r of rows) {
          reviewOpen.set({ priority: r.priority }, r.open);
          reviewOverdue.set({ priority: r.priority }, r.overdue);
        }
      }),
      this.stageResults.countsByStageStatus(this.dataSource).then((rows) => {
        for (const r of rows) stageResults.set({ stage: r.stage, status: r.status }, r.n);
      }),
    ]);
  }
}
