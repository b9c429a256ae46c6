import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: { postgres: 'ok' | string; redis: 'ok' | string };
}

/** Whether this process can do its work now: Postgres and Redis both answer. */
@Injectable()
export class Readiness {
  private readonly redis: Redis;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1000 });
    this.redis.on('error', () => undefined); // reported through check()
  }

  async check(): Promise<ReadinessReport> {
    const [postgres, redis] = await Promise.all([
      this.dataSource.query('SELECT 1').then(() => 'ok' as const, (e: Error) => `unavailable: ${e.message}`),
      this.pingRedis(),
    ]);
    return { status: postgres === 'ok' && redis === 'ok' ? 'ok' : 'unavailable', checks: { postgres, redis } };
  }

  private async pingRedis(): Promise<string> {
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      await this.redis.ping();
      return 'ok';
    } catch (err) {
      return `unavailable: ${(err as Error).message}`;
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
