import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Worker, type Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { databaseRetryDelayMs, isDatabaseUnavailable } from '../core/database-errors';
import { APP_CONFIG } from '../core/tokens';
import { redisConnection } from '../outbox/queue-connections';
import { logger } from '../core/logger';
import { webhookDeliveriesTotal } from './webhook-metrics';
import { WEBHOOK_QUEUE } from './webhook-fanout';
import { signWebhookBody } from './webhook-signature';
import { WebhookRepository, type PendingDelivery } from './webhook.repository';

interface DeliveryJobData {
  deliveryId: string;
}

interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_BACKOFF_MS = 3_600_000;

/** Delay before attempt `n + 1` after `n` failed ones: exponential, capped at an hour. */
export const webhookBackoffMs = (baseMs: number, failedAttempts: number): number => Math.min(baseMs * 2 ** (failedAttempts - 1), MAX_BACKOFF_MS);

/**
 * POSTs recorded webhook deliveries, signed with the webhook's secret. A 2xx
 * answer delivers; anything else is recorded as a failed attempt and the job
 * is moved back to BullMQ's delayed set with exponential backoff, until
 * WEBHOOK_MAX_ATTEMPTS. The delivery row, not the job, counts attempts, so a
 * job run twice after a crash cannot exceed the limit or deliver twice after success.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker<DeliveryJobData> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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
    const delivery = await this.webhooks.pendingDelivery(this.dataSource, job.data.deliveryId);
    if (!delivery || delivery.status !== 'pending') return 'nothing to deliver';
    const attempt = delivery.attempts + 1;
    const result: AttemptResult = delivery.disabledAt
      ? { ok: false, statusCode: null, error: 'the webhook was deleted', durationMs: 0 }
      : await this.post(delivery);
    const giveUp = !result.ok && (attempt >= this.config.WEBHOOK_MAX_ATTEMPTS || delivery.disabledAt !== null);
    const status = result.ok ? 'delivered' : giveUp ? 'failed' : 'pending';
    const recorded = await this.dataSource.transaction((m) =>
      this.webhooks.recordAttempt(m, delivery.id, { attempt, status, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs }),
    );
    if (!recorded) return 'recorded by another run';
    webhookDeliveriesTotal.inc({ outcome: result.ok ? 'delivered' : giveUp ? 'gave_up' : 'retry' });
    if (status === 'pending') {
      await job.moveToDelayed(Date.now() + webhookBackoffMs(this.config.WEBHOOK_BACKOFF_MS, attempt), token);
      throw new DelayedError();
    }
    if (status === 'failed') logger.warn({ deliveryId: delivery.id, attempts: attempt, err: result.error }, 'webhook delivery gave up');
    return status;
  }

  private async post(delivery: PendingDelivery): Promise<AttemptResult> {
    const started = Date.now();
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'provenant-webhooks/1',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(delivery.secret, delivery.body),
          [WEBHOOK_DELIVERY_HEADER]: delivery.id,
          [WEBHOOK_EVENT_HEADER]: delivery.event,
        },
        body: delivery.body,
        // A redirect is not a delivery: the signed body must reach the registered URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      await res.body?.cancel();
      const ok = res.status >= 200 && res.status < 300;
      return { ok, statusCode: res.status, error: ok ? null : `receiver answered ${res.status}`, durationMs: Date.now() - started };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error = e.name === 'TimeoutError' ? `no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`;
      return { ok: false, statusCode: null, error, durationMs: Date.now() - started };
    }
  }
}
