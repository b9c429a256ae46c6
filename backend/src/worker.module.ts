import { Module } from '@nestjs/common';
import { AuditModule } from './modules/audit/audit.module';
import { CoreModule } from './modules/core/core.module';
import { OutboxModule } from './modules/outbox/outbox.module';
import { PipelineModule } from './modules/pipeline/pipeline.module';
import { StageWorkers } from './modules/pipeline/stage-workers';
import { Readiness } from './modules/ops/readiness';

/** The worker process: runs pipeline stages from BullMQ and relays the outbox. */
@Module({ imports: [CoreModule, AuditModule, OutboxModule, PipelineModule], providers: [StageWorkers, Readiness] })
export class WorkerModule {}
