import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Worker, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import type { EgressPolicy } from '../../engines/egress';
import { databaseRetryDelayMs, isDatabaseUnavailable } from '../core/database-errors';
import { APP_CONFIG } from '../core/tokens';
import { redisConnection } from '../outbox/queue-connections';
import { logger } from '../core/logger';
import { WEBHOOK_EGRESS, WEBHOOK_SECRET_BOX } from './notifications-tokens';
import { webhookDeliveriesTotal } from './webhook-metrics';
import { WEBHOOK_QUEUE } from './webhook-fanout';
import type { SecretBox } from '../core/secret-box';
import { WebhookSender, type AttemptResult } from './webhook-sender';
import { WebhookRepository, type PendingDelivery } from './webhook.repository';

interface DeliveryJobData {
  deliveryId: string;
}

/** Where one attempt left its delivery, or why no attempt was made. */
export type AttemptOutcome = { status: 'delivered' | 'failed' | 'pending'; attempt: number } | 'nothing to deliver' | 'recorded by another run';

const MAX_BACKOFF_MS = 3_600_000;

/** Delay before attempt `n + 1` after `n` failed ones: exponential, capped at an hour. */
export const webhookBackoffMs = (baseMs: number, failedAttempts: number): number => Math.min(baseMs * 2 ** (failedAttempts - 1), MAX_BACKOFF_MS);

/**
 * POSTs recorded webhook deliveries, signed with the webhook's secret, to
 * destinations the egress policy allows (WebhookSender). A 2xx answer
 * delivers; anything else, a redirect or a refused destination included, is
 * recorded as a failed attempt and the job is moved back to BullMQ's delayed
 * set with exponential backoff, until WEBHOOK_MAX_ATTEMPTS. The delivery row,
 * not the job, counts attempts, so a job run twice after a crash cannot
 * exceed the limit or deliver twice after success.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker<DeliveryJobData> | null = null;
  private readonly sender: WebhookSender;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_EGRESS) egress: EgressPolicy,
    @Inject(WEBHOOK_SECRET_BOX) private readonly box: SecretBox,
  ) {
    this.sender = new WebhookSender(egress, config.WEBHOOK_TIMEOUT_MS);
  }

  onApplicationBootstrap(): void {
    this.worker = new Worker<DeliveryJobData>(WEBHOOK_QUEUE, (job, token) => this.process(job, token), {
      connection: redisConnection(this.config.REDIS_URL, true),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: 4,
    });
    this.worker.on('error', (err) => logger.warn({ err: err.message }, 'webhook worker error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  /** A database outage is not a failed delivery: the job waits it out without spending a BullMQ attempt. */
  private async process(job: Job<DeliveryJobData>, token: string | undefined): Promise<string> {
    try {
      return await this.deliver(job, token);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      await job.moveToDelayed(Date.now() + databaseRetryDelayMs(Math.max(0, job.attemptsStarted - job.attemptsMade - 1)), token);
      throw new DelayedError();
    }
  }

  private async deliver(job: Job<DeliveryJobData>, token: string | undefined): Promise<string> {
    const outcome = await this.attempt(job.data.deliveryId);
    if (typeof outcome === 'string') return outcome;
    if (outcome.status === 'pending') {
      await job.moveToDelayed(Date.now() + webhookBackoffMs(this.config.WEBHOOK_BACKOFF_MS, outcome.attempt), token);
      throw new DelayedError();
    }
    return outcome.status;
  }

  /** Makes the next attempt at one delivery and records it. */
  async attempt(deliveryId: string): Promise<AttemptOutcome> {
    const delivery = await this.webhooks.pendingDelivery(this.dataSource, deliveryId);
    if (!delivery || delivery.status !== 'pending') return 'nothing to deliver';
    const attempt = delivery.attempts + 1;
    const result = await this.send(delivery);
    const giveUp = !result.ok && (attempt >= this.config.WEBHOOK_MAX_ATTEMPTS || delivery.disabledAt !== null);
    const status = result.ok ? 'delivered' : giveUp ? 'failed' : 'pending';
    const recorded = await this.dataSource.transaction((m) =>
      this.webhooks.recordAttempt(m, delivery.id, { attempt, status, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs }),
    );
    if (!recorded) return 'recorded by another run';
    webhookDeliveriesTotal.inc({ outcome: result.ok ? 'delivered' : giveUp ? 'gave_up' : 'retry' });
    if (status === 'failed') logger.warn({ deliveryId: delivery.id, attempts: attempt, err: result.error }, 'webhook delivery gave up');
    return { status, attempt };
  }

  private send(delivery: PendingDelivery): Promise<AttemptResult> {
    if (delivery.disabledAt) return Promise.resolve({ ok: false, statusCode: null, error: 'the webhook was deleted', durationMs: 0 });
    if (!delivery.sealedSecret) return Promise.resolve({ ok: false, statusCode: null, error: 'no signing secret on record', durationMs: 0 });
    return this.sender.send({ ...delivery, secret: this.box.open(delivery.sealedSecret, delivery.webhookId).toString('utf8') });
  }
}
