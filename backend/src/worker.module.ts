import { Module } from '@nestjs/common';
import { AuditModule } from './modules/audit/audit.module';
import { AuthenticationModule } from './modules/auth/authentication.module';
import { CoreModule } from './modules/core/core.module';
import { LifecycleModule } from './modules/lifecycle/lifecycle.module';
import { ModerationModule } from './modules/moderation/moderation.module';
import { ModerationWarmUp } from './modules/moderation/moderation-warm-up';
import { WebhookFanoutModule } from './modules/notifications/webhook-fanout.module';
import { WebhookDeliverySweep } from './modules/notifications/webhook-delivery-sweep';
import { WebhookDeliveryWorker } from './modules/notifications/webhook-delivery-worker';
import { OutboxModule } from './modules/outbox/outbox.module';
import { PipelineModule } from './modules/pipeline/pipeline.module';
import { PipelineSweep } from './modules/pipeline/pipeline-sweep';
import { StageWorkers } from './modules/pipeline/stage-workers';
import { Readiness } from './modules/ops/readiness';

/**
 * The worker process: runs pipeline stages and webhook deliveries from
 * BullMQ, re-dispatches the jobs of clips and deliveries that lost theirs,
 * relays the outbox, and loads the moderation models at start (readiness
 * waits for them). It checks credentials only for its own /metrics.
 */
@Module({
  imports: [CoreModule, AuditModule, AuthenticationModule, LifecycleModule, ModerationModule, OutboxModule, PipelineModule, WebhookFanoutModule],
  providers: [StageWorkers, PipelineSweep, WebhookDeliveryWorker, WebhookDeliverySweep, ModerationWarmUp, Readiness],
})
export class WorkerModule {}
