import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { PipelineMetrics } from './pipeline-metrics';
import { Readiness } from './readiness';

@Module({
  imports: [PipelineModule],
  controllers: [HealthController, MetricsController],
  providers: [Readiness, PipelineMetrics],
})
export class OpsModule {}
