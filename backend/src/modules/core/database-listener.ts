import { Client } from 'pg';
import type { Queryable } from '../../database/queryable';
import { databaseRetryDelayMs } from './database-errors';
import { logger } from './logger';

export interface DatabaseListenerOptions {
  databaseUrl: string;
  /** What this connection listens for, e.g. `clip events`; for the logs. */
  name: string;
  /** Issues the LISTEN on a fresh connection (a repository's `listen`). */
  subscribe: (connection: Queryable) => Promise<void>;
  onNotification: (payload: string) => void;
  /** After a reconnection: notifications sent while it was away reached nobody. */
  onReconnected?: () => void;
}

/**
 * A dedicated Postgres connection that LISTENs on a channel and comes back
 * by itself after the database restarts, with backoff, logging the first
 * failure of an outage and the recovery rather than every attempt.
 */
export class DatabaseListener {
  private client: Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: DatabaseListenerOptions) {}

  /** Connects; never throws: a failure schedules another try. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.options.databaseUrl });
    let lost = false;
    // The connection can fail while connecting, or later with an 'error' and/or 'end': react once.
    const lose = (err: Error) => {
      if (lost) return;
      lost = true;
      this.lost(client, err);
    };
    client.on('error', lose);
    client.on('end', () => lose(new Error('connection ended')));
    client.on('notification', (msg) => this.options.onNotification(msg.payload ?? ''));
    try {
      await client.connect();
      await this.options.subscribe(client);
    } catch (err) {
      return lose(err as Error);
    }
    if (lost) return;
    // Stopped while connecting: this connection must not outlive the process's shutdown.
    if (this.stopped) return void client.end().catch(() => undefined);
    this.client = client;
    if (this.failures > 0) {
      logger.info({ listener: this.options.name }, 'database listener reconnected');
      this.options.onReconnected?.();
    }
    this.failures = 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
  }

  private lost(client: Client, err: Error): void {
    if (this.client === client) this.client = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    if (this.failures === 0) logger.warn({ listener: this.options.name, err: err.message }, 'database listener lost its connection; reconnecting');
    this.retryTimer = setTimeout(() => void this.start(), databaseRetryDelayMs(this.failures++));
  }
}
