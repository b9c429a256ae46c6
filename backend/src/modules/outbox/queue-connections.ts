import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../core/tokens';
import type { AppConfig } from '../../config/app-config';
import { logger } from '../core/logger';

/** Redis connection settings for BullMQ from REDIS_URL. */
export function redisConnection(redisUrl: string, forWorker: boolean): ConnectionOptions {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // Workers must wait for Redis forever; producers fail fast so the outbox keeps the job.
    maxRetriesPerRequest: forWorker ? null : 1,
    enableOfflineQueue: forWorker,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/** One BullMQ producer per queue name, created on first use. */
@Injectable()
export class QueueConnections implements OnModuleDestroy {
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redisConnection(this.config.REDIS_URL, false), prefix: this.config.QUEUE_PREFIX });
      queue.on('error', (err) => logger.warn({ queue: name, err: err.message }, 'queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
