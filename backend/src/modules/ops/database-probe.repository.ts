import type { Queryable } from '../../database/queryable';

const SQL = {
  ping: `SELECT 1`,
} as const;

/** The readiness probe's one statement: does Postgres answer at all. */
export class DatabaseProbeRepository {
  static readonly sql = SQL;

  async ping(db: Queryable): Promise<void> {
    await db.query(SQL.ping);
  }
}
