import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { databaseRetryDelayMs } from '../core/database-errors';
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
  private listener: Client | null = null;
  private listenTimer: NodeJS.Timeout | null = null;
  private listenFailures = 0;
  private consecutiveFailures = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueConnections,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.listenTimer) clearTimeout(this.listenTimer);
    await this.listener?.end().catch(() => undefined);
  }

  /** Opens the LISTEN connection; never throws: a failure schedules another try. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    let lost = false;
    // The connection can fail while connecting, or later with an 'error' and/or 'end': react once.
    const lose = (err: Error) => {
      if (lost) return;
      lost = true;
      this.listenerLost(client, err);
    };
    client.on('error', lose);
    client.on('end', () => lose(new Error('connection ended')));
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await this.outbox.listen(client);
    } catch (err) {
      return lose(err as Error);
    }
    if (lost) return;
    this.listener = client;
    if (this.listenFailures > 0) {
      logger.info('outbox listener reconnected');
      this.kick(); // rows committed while it was away may have been notified to nobody
    }
    this.listenFailures = 0;
  }

  private listenerLost(client: Client, err: Error): void {
    if (this.listener === client) this.listener = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    // Log the first failure of an outage, not every reconnection attempt.
    if (this.listenFailures === 0) logger.warn({ err: err.message }, 'outbox listener lost its connection; reconnecting, polling meanwhile');
    this.listenTimer = setTimeout(() => void this.listen(), databaseRetryDelayMs(this.listenFailures++));
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
