import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access-policy';
import { METRICS_ROLES } from './metrics-access';
import { PipelineMetrics } from './pipeline-metrics';
import { metricsRegistry } from '../core/metrics';
import { ApiContract } from '../http/api-contract';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly pipelineMetrics: PipelineMetrics) {}

  @Get()
  @ApiContract({ summary: 'Prometheus metrics', answer: { status: 200, contentType: 'text/plain', description: 'Prometheus text format 0.0.4' } })
  @Roles(...METRICS_ROLES)
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.pipelineMetrics.refresh();
    return metricsRegistry.metrics();
  }
}
