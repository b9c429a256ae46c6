import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { logger } from '../core/logger';
import { APP_CONFIG } from '../core/tokens';
import { actorOf, type Principal } from './principal';

interface Tally {
  principal: Principal;
  method: string;
  route: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * Requests the role guard refused (403), audited per caller and route once
 * every ACCESS_DENIED_FLUSH_MS with a count, so someone probing routes they
 * may not use is on the record without one permanent row per request.
 */
@Injectable()
export class AccessDenials implements OnModuleInit, OnApplicationShutdown {
  private tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.ACCESS_DENIED_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** `route`: the matched route's pattern (ids stay out of the key). */
  record(principal: Principal, method: string, route: string): void {
    const key = `${actorOf(principal)} ${method} ${route}`;
    const now = new Date();
    const tally = this.tallies.get(key);
    if (tally) {
      tally.count++;
      tally.lastAt = now;
    } else {
      this.tallies.set(key, { principal, method, route, count: 1, firstAt: now, lastAt: now });
    }
  }

  async flush(): Promise<void> {
    if (this.tallies.size === 0) return;
    const tallies = [...this.tallies.values()];
    this.tallies = new Map();
    const entries: AuditEntry[] = tallies.map((t) => ({
      actor: actorOf(t.principal),
      action: 'access.denied',
      ...(t.principal.apiKeyId ? { subjectType: 'api_key', subjectId: t.principal.apiKeyId } : { subjectType: 'user', subjectId: t.principal.userId }),
      body: { method: t.method, route: t.route, count: t.count, firstAt: t.firstAt.toISOString(), lastAt: t.lastAt.toISOString() },
    }));
    try {
      await this.dataSource.transaction((m) => this.audit.appendMany(m, entries));
    } catch (err) {
      // The database is away: keep the counts for the next flush rather than lose them.
      for (const t of tallies) this.mergeBack(t);
      logger.warn({ err: (err as Error).message, pending: this.tallies.size }, 'could not audit denied requests; will retry');
    }
  }

  private mergeBack(t: Tally): void {
    const key = `${actorOf(t.principal)} ${t.method} ${t.route}`;
    const newer = this.tallies.get(key);
    if (!newer) return void this.tallies.set(key, t);
    newer.count += t.count;
    newer.firstAt = t.firstAt;
  }
}
