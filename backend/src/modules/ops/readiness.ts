import { Inject, Injectable, Optional } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { databaseUnavailableReason, socketErrorReason } from '../core/database-errors';
import { APP_CONFIG } from '../core/tokens';
import type { DependencyStatus, ReadinessDto } from '@provenant/shared';
import { ModerationWarmUp } from '../moderation/moderation-warm-up';
import { DatabaseProbeRepository } from './database-probe.repository';

export type ReadinessReport = ReadinessDto;

class CheckTimedOut extends Error {}

/**
 * Whether this process can do its work now: Postgres and Redis both answer,
 * within READINESS_TIMEOUT_MS, and in the worker the moderation models are loaded.
 */
@Injectable()
export class Readiness {
  private readonly redis: Redis;
  private readonly timeoutMs: number;
  private readonly database = new DatabaseProbeRepository();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    // Provided by the worker module only: the api has no models to wait for.
    @Optional() private readonly models?: ModerationWarmUp,
  ) {
    this.timeoutMs = config.READINESS_TIMEOUT_MS;
    this.redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1000 });
    this.redis.on('error', () => undefined); // reported through check()
  }

  async check(): Promise<ReadinessReport> {
    const [postgres, redis] = await Promise.all([
      this.probe(() => this.database.ping(this.dataSource), (e) => databaseUnavailableReason(e) ?? sqlStateOf(e)),
      this.probe(() => this.pingRedis(), (e) => socketErrorReason(e) ?? 'not connected'),
    ]);
    const checks: ReadinessReport['checks'] = this.models ? { postgres, redis, models: this.models.status } : { postgres, redis };
    return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'unavailable', checks };
  }

  /** Runs `check` within the timeout; a failure is described by `describe`, in words safe to show anyone. */
  private async probe(check: () => Promise<unknown>, describe: (err: unknown) => string): Promise<DependencyStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new CheckTimedOut()), this.timeoutMs)));
    try {
      await Promise.race([check(), timeout]);
      return 'ok';
    } catch (err) {
      return `unavailable: ${err instanceof CheckTimedOut ? 'timed out' : describe(err)}`;
    } finally {
      clearTimeout(timer);
    }
  }

  private async pingRedis(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
    await this.redis.ping();
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** Postgres answered, but with an error: its SQLSTATE says which kind without repeating its message. */
function sqlStateOf(err: unknown): string {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? `error ${code}` : 'error';
}
