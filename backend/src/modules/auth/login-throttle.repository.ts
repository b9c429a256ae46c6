import type { ThrottleCounter } from '../../engines/login-throttle';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export type ThrottleScope = 'account' | 'client_address';

/** A counter locked for the caller's transaction, with the database's time (one clock for every api process). */
export interface LockedCounter {
  counter: ThrottleCounter;
  now: Date;
}

const SQL = {
  // A counter with no failures behaves like none: inserting it first gives the next statement a row to lock.
  ensure: `INSERT INTO login_throttle (scope, key, failures, window_started_at, expires_at) VALUES ($1, $2, 0, now(), now()) ON CONFLICT (scope, key) DO NOTHING`,
  lock: `
    SELECT failures, window_started_at AS "windowStartedAt", retry_at AS "retryAt", locked_at AS "lockedAt", now() AS "now"
      FROM login_throttle WHERE scope = $1 AND key = $2 FOR UPDATE`,
  save: `UPDATE login_throttle SET failures = $3, window_started_at = $4, retry_at = $5, locked_at = $6, expires_at = $7 WHERE scope = $1 AND key = $2 RETURNING key`,
  remove: `DELETE FROM login_throttle WHERE scope = $1 AND key = $2 RETURNING key`,
  // A few at a time and never waiting for a row another login holds, so it costs every login little.
  purgeExpired: `
    DELETE FROM login_throttle WHERE (scope, key) IN (
      SELECT scope, key FROM login_throttle WHERE expires_at < now() ORDER BY expires_at LIMIT 20 FOR UPDATE SKIP LOCKED)
    RETURNING key`,
} as const;

/** Failed sign-in counters (login_throttle), keyed by pseudonyms: never an e-mail or an address. */
export class LoginThrottleRepository {
  static readonly sql = SQL;

  /** The counter for this key, created empty if there is none, locked until the transaction ends. */
  async lockOrCreate(db: Queryable, scope: ThrottleScope, key: string): Promise<LockedCounter> {
    await db.query(SQL.ensure, [scope, key]);
    return (await this.lock(db, scope, key))!;
  }

  async lock(db: Queryable, scope: ThrottleScope, key: string): Promise<LockedCounter | null> {
    const [row]: (ThrottleCounter & { now: Date })[] = await db.query(SQL.lock, [scope, key]);
    if (!row) return null;
    const { now, ...counter } = row;
    return { counter, now };
  }

  async save(db: Queryable, scope: ThrottleScope, key: string, c: ThrottleCounter, expiresAt: Date): Promise<void> {
    await updatedRows(db, SQL.save, [scope, key, c.failures, c.windowStartedAt, c.retryAt, c.lockedAt, expiresAt]);
  }

  async remove(db: Queryable, scope: ThrottleScope, key: string): Promise<void> {
    await updatedRows(db, SQL.remove, [scope, key]);
  }

  async purgeExpired(db: Queryable): Promise<void> {
    await updatedRows(db, SQL.purgeExpired, []);
  }
}
