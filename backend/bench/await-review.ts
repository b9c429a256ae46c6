import { Client } from 'pg';
import type { Stack } from '../test/support/stack';

/** States a clip on its way to review cannot leave by itself. */
const ENDS = ['AWAITING_REVIEW', 'FAILED', 'BLOCKED'];
const POLL_MS = 100;

/**
 * Waits until every clip is in AWAITING_REVIEW and returns when (Date.now())
 * each was first seen there. Polls the database, not the api: the api's CPU
 * time is part of what the bench measures, and polling it would add to it.
 */
export async function awaitReview(stack: Stack, clipIds: string[], timeoutMs: number): Promise<Map<string, number>> {
  const arrivedAt = new Map<string, number>();
  const db = new Client({ connectionString: stack.env.DATABASE_URL });
  await db.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (arrivedAt.size < clipIds.length) {
      if (Date.now() > deadline) throw new Error(`timed out: ${arrivedAt.size} of ${clipIds.length} bench clips reached AWAITING_REVIEW\n${stack.logs()}`);
      const { rows } = await db.query<{ id: string; state: string; failure_reason: string | null }>(
        'SELECT id, state, failure_reason FROM clips WHERE id = ANY($1) AND state = ANY($2)',
        [clipIds, ENDS],
      );
      const now = Date.now();
      for (const row of rows) {
        if (row.state !== 'AWAITING_REVIEW') throw new Error(`bench clip ${row.id} ended ${row.state}: ${row.failure_reason}\n${stack.logs()}`);
        if (!arrivedAt.has(row.id)) arrivedAt.set(row.id, now);
      }
      if (arrivedAt.size < clipIds.length) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return arrivedAt;
  } finally {
    await db.end();
  }
}
