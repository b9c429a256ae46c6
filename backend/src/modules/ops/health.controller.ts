import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access-policy';
import { Readiness, type ReadinessReport } from './readiness';
import { ApiContract } from '../http/api-contract';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @ApiContract({ summary: 'Liveness', answer: { status: 200, type: 'LivenessDto' } })
  @Public('orchestrators probe liveness without credentials; reveals nothing')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiContract({ summary: 'Readiness: Postgres and Redis answer', answer: { status: 200, type: 'ReadinessDto' }, more: [{ status: 503, type: 'ReadinessDto' }] })
  @Public('orchestrators probe readiness without credentials; reveals only up/down')
  async ready(): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
