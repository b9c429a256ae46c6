import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { PeriodicTask } from '../core/periodic-task';
import { APP_CONFIG } from '../core/tokens';
import { LostJobs, type LostJobFate } from '../outbox/lost-jobs';
import { WEBHOOK_QUEUE, webhookJobId } from './webhook-fanout';
import { WebhookRepository } from './webhook.repository';

const SWEEP_ACTOR = 'worker';
const DELIVERIES_PER_SWEEP = 100;

/**
 * Why a delivery is dispatched again (the `reason` of the audit event). A failed job is not among them: the
 * worker records a receiver's refusal on the delivery row and retries it itself, so a job BullMQ failed threw
 * something else (a secret that cannot be opened, say), would fail again, and, counting no attempt on the row,
 * would be retried by every sweep without end. It stays in BullMQ's failed set, and the delivery pending.
 */
const REDISPATCH_REASONS: Readonly<Partial<Record<LostJobFate, string>>> = {
  missing: 'job missing',
  completed: 'job completed without the delivery being recorded',
};
const LOST_FATES = Object.keys(REDISPATCH_REASONS) as LostJobFate[];

/**
 * The webhook deliveries' safety net (worker processes): every
 * SWEEP_INTERVAL_MS, one process looks at pending deliveries older than
 * SWEEP_GRACE_MS and hands each whose job is gone from Redis (a flush, a
 * failover to an empty replica) to the delivery queue again under the same
 * job id, recording `webhook.delivery_redispatched` in the same transaction.
 * A live job (waiting, active, or delayed in its backoff) is left alone. The
 * delivery row counts the attempts, so a re-dispatched delivery still stops
 * at WEBHOOK_MAX_ATTEMPTS and is never sent again once delivered.
 */
@Injectable()
export class WebhookDeliverySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly turns = new PeriodicTask('webhook delivery sweep', this.config.SWEEP_INTERVAL_MS, () => this.sweep());
  /** Where the next sweep goes on: a page per turn, back to the start after the last one. */
  private after: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhookRepository,
    private readonly lostJobs: LostJobs,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.turns.start();
  }

  onApplicationShutdown(): void {
    this.turns.stop();
  }

  /** One sweep; returns how many deliveries it dispatched again, or null when another process has this turn. */
  sweep(): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.webhooks.takeDeliverySweepTurn(m))) return null;
      const page = await this.webhooks.pendingPage(m, this.config.SWEEP_GRACE_MS, this.after, DELIVERIES_PER_SWEEP);
      const redispatched: AuditEntry[] = [];
      for (const { id, webhookId, clipId } of page) {
        const fate = await this.lostJobs.redispatchIfLost(m, { queue: WEBHOOK_QUEUE, jobId: webhookJobId(id), payload: { deliveryId: id } }, LOST_FATES);
        if (fate) {
          const reason = REDISPATCH_REASONS[fate]!;
          redispatched.push({ actor: SWEEP_ACTOR, action: 'webhook.delivery_redispatched', subjectType: 'webhook', subjectId: webhookId, body: { deliveryId: id, clipId, reason } });
        }
      }
      await this.audit.appendMany(m, redispatched);
      this.after = page.length < DELIVERIES_PER_SWEEP ? null : page[page.length - 1].id;
      return redispatched.length;
    });
  }
}
