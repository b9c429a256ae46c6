import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseListener } from '../core/database-listener';
import { APP_CONFIG } from '../core/tokens';
import type { AppConfig } from '../../config/app-config';
import { logger } from '../core/logger';
import { QueueConnections } from './queue-connections';
import { OutboxRepository } from './outbox.repository';

/**
 * Moves committed outbox rows into BullMQ. Runs in every api and worker
 * process; `FOR UPDATE SKIP LOCKED` lets many relays share the work, and the
 * deterministic job id makes a row delivered twice (crash between add and
 * commit) a no-op in BullMQ. Postgres NOTIFY wakes it at once; while its
 * LISTEN connection is down (a database restart) it reconnects in the
 * background and the poll alone delivers.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private readonly listener: DatabaseListener;
  private consecutiveFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueConnections,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.listener = new DatabaseListener({
      databaseUrl: config.DATABASE_URL,
      name: 'outbox',
      subscribe: (connection) => this.outbox.listen(connection),
      onNotification: () => this.kick(),
      // Rows committed while it was away may have been notified to nobody.
      onReconnected: () => this.kick(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.listener.stop();
  }

  /** Deliver now rather than at the next poll. */
  kick(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.running = true;
    let delivered = 0;
    try {
      delivered = await this.deliverBatch();
      if (this.consecutiveFailures > 0) logger.info({ failedPolls: this.consecutiveFailures }, 'outbox relay delivering again');
      this.consecutiveFailures = 0;
    } catch (err) {
      this.consecutiveFailures++;
      // Log the first failure of an outage, not every poll.
      if (this.consecutiveFailures === 1) logger.warn({ err: (err as Error).message }, 'outbox relay cannot deliver; will retry');
    } finally {
      this.running = false;
    }
    const backoff = Math.min(this.config.OUTBOX_POLL_MS * 2 ** this.consecutiveFailures, 5000);
    this.schedule(delivered > 0 || this.again ? 0 : this.consecutiveFailures ? backoff : this.config.OUTBOX_POLL_MS);
    this.again = false;
  }

  /** Returns how many rows were delivered. Throws if Redis refused them (the rows stay pending). */
  async deliverBatch(limit = 100): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await this.outbox.lockPending(manager, limit);
      for (const row of rows) {
        await this.queues.get(row.queue).add(row.queue, row.payload, {
          jobId: row.jobId,
          attempts: this.config.STAGE_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.STAGE_BACKOFF_MS },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
        await this.outbox.markDispatched(manager, row.id);
      }
      return rows.length;
    });
  }
}
