import type { Queryable } from '../../database/queryable';

export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxRow {
  id: string;
  queue: string;
  jobId: string;
  payload: Record<string, unknown>;
}

const SQL = {
  insert: `INSERT INTO outbox (queue, job_id, payload) VALUES ($1, $2, $3)`,
  // NOTIFY is transactional: relays wake up once the job is committed.
  wakeRelays: `SELECT pg_notify('${OUTBOX_CHANNEL}', $1)`,
  // SKIP LOCKED lets many relays share the work.
  lockPending: `SELECT id, queue, job_id AS "jobId", payload FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
  markDispatched: `UPDATE outbox SET dispatched_at = now(), attempts = attempts + 1 WHERE id = $1 RETURNING id`,
  pendingCount: `SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`,
  hasUndispatched: `SELECT EXISTS (SELECT 1 FROM outbox WHERE dispatched_at IS NULL AND queue = $1 AND job_id = $2) AS pending`,
  listen: `LISTEN ${OUTBOX_CHANNEL}`,
} as const;

/** Jobs to hand to BullMQ (outbox), written in the transaction of the change that needs them. */
export class OutboxRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, queue: string, jobId: string, payload: Record<string, unknown>): Promise<void> {
    await db.query(SQL.insert, [queue, jobId, payload]);
    await db.query(SQL.wakeRelays, [queue]);
  }

  lockPending(db: Queryable, limit: number): Promise<OutboxRow[]> {
    return db.query(SQL.lockPending, [limit]);
  }

  async markDispatched(db: Queryable, id: string): Promise<void> {
    await db.query(SQL.markDispatched, [id]);
  }

  /** Subscribes a dedicated connection to the relays' wake-up channel. */
  async listen(connection: Queryable): Promise<void> {
    await connection.query(SQL.listen);
  }

  /** Whether the job with this id waits here, not yet handed to BullMQ. */
  async hasUndispatched(db: Queryable, queue: string, jobId: string): Promise<boolean> {
    const [{ pending }]: { pending: boolean }[] = await db.query(SQL.hasUndispatched, [queue, jobId]);
    return pending;
  }

  async pendingCount(db: Queryable): Promise<number> {
    const [{ n }]: { n: number }[] = await db.query(SQL.pendingCount);
    return n;
  }
}
