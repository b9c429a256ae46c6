import { Module } from '@nestjs/common';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewQueueModule } from '../review/review-queue.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { PipelineMetrics } from './pipeline-metrics';
import { Readiness } from './readiness';

/** Operational endpoints: health probes and Prometheus metrics. */
@Module({
  imports: [ReviewQueueModule],
  controllers: [HealthController, MetricsController],
  providers: [Readiness, PipelineMetrics, StageResultRepository],
})
export class OpsModule {}
