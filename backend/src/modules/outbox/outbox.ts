import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export const OUTBOX_CHANNEL = 'outbox';

/**
 * Records a job to hand to BullMQ in the caller's transaction. The relay
 * delivers it once the transaction has committed, even if Redis is down at
 * that moment or this process dies right after.
 */
@Injectable()
export class Outbox {
  async enqueue(manager: EntityManager, queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    await manager.query(`INSERT INTO outbox (queue, job_id, payload) VALUES ($1, $2, $3)`, [queue, jobId, payload]);
    await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, queue]);
  }
}
