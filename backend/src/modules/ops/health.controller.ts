import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/access-policy';
import { Readiness, type ReadinessReport } from './readiness';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @Public('orchestrators probe liveness without credentials; reveals nothing')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public('orchestrators probe readiness without credentials; reveals only up/down')
  async ready(): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
