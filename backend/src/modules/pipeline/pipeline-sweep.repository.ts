import type { EntityManager } from 'typeorm';
import type { ClipState } from '@provenant/shared';

// One sweep at a time across all worker processes; the others skip their turn.
const SWEEP_LOCK_KEY = 7_305_161_003;

const SQL = {
  takeTurn: `SELECT pg_try_advisory_xact_lock($1) AS locked`,
  // Oldest first: a clip whose job was lost never moves again, so it reaches the front of this list
  // however long the backlog of clips legitimately waiting for a worker. SKIP LOCKED passes over a
  // clip a stage worker is recording a result for at this moment (it is not stuck).
  lockStaleClips: `
    SELECT id FROM clips
     WHERE state = ANY($1::text[])
       AND updated_at < now() - $2::int * interval '1 millisecond'
     ORDER BY updated_at
     LIMIT $3
       FOR UPDATE SKIP LOCKED`,
  hasUndispatchedJob: `
    SELECT EXISTS (
      SELECT 1 FROM outbox WHERE dispatched_at IS NULL AND queue = $1 AND payload->>'clipId' = $2
    ) AS pending`,
} as const;

/** What PipelineSweep reads and locks, in the caller's transaction. */
export class PipelineSweepRepository {
  static readonly sql = SQL;

  /** Whether this transaction got the sweep's turn (released at commit). */
  async takeTurn(m: EntityManager): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await m.query(SQL.takeTurn, [SWEEP_LOCK_KEY]);
    return locked;
  }

  /** Locks and returns up to `limit` clips in one of `states` that nothing has changed for `graceMs`. */
  async lockStaleClips(m: EntityManager, states: readonly ClipState[], graceMs: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(SQL.lockStaleClips, [states, graceMs, limit]);
    return rows.map((r) => r.id);
  }

  /** Whether a job for this clip on this queue waits in the outbox, not yet handed to BullMQ. */
  async hasUndispatchedJob(m: EntityManager, queue: string, clipId: string): Promise<boolean> {
    const [{ pending }]: { pending: boolean }[] = await m.query(SQL.hasUndispatchedJob, [queue, clipId]);
    return pending;
  }
}
