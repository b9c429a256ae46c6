import { Module } from '@nestjs/common';
import { AuditModule } from './modules/audit/audit.module';
import { CoreModule } from './modules/core/core.module';
import { WebhookDeliveryWorker } from './modules/notifications/webhook-delivery-worker';
import { OutboxModule } from './modules/outbox/outbox.module';
import { PipelineModule } from './modules/pipeline/pipeline.module';
import { StageWorkers } from './modules/pipeline/stage-workers';
import { Readiness } from './modules/ops/readiness';

/** The worker process: runs pipeline stages and webhook deliveries from BullMQ, and relays the outbox. */
@Module({ imports: [CoreModule, AuditModule, OutboxModule, PipelineModule], providers: [StageWorkers, WebhookDeliveryWorker, Readiness] })
export class WorkerModule {}
