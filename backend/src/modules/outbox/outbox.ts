import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRepository } from './outbox.repository';

/**
 * Records a job to hand to BullMQ in the caller's transaction. The relay
 * delivers it once the transaction has committed, even if Redis is down at
 * that moment or this process dies right after.
 */
@Injectable()
export class Outbox {
  constructor(private readonly rows: OutboxRepository) {}

  async enqueue(manager: EntityManager, queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    await this.rows.insert(manager, queue, jobId, payload);
  }
}
