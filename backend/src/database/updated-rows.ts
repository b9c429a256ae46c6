import type { Queryable } from './queryable';

/**
 * Runs an UPDATE/DELETE … RETURNING and gives back the returned rows.
 * TypeORM's Postgres driver answers such statements with `[rows, rowCount]`
 * instead of the rows, unlike SELECT and INSERT; this hides that quirk.
 */
export async function updatedRows<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  if (!/^\s*(UPDATE|DELETE)\b/i.test(sql)) throw new Error('updatedRows is for UPDATE or DELETE statements');
  const [rows] = (await db.query(sql, params)) as [T[], number];
  return rows;
}
