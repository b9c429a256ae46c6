import type { AuditEvent } from '../../engines/merkle-log';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export interface AuditEventFilter {
  clipId: string | null;
  actor: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
  afterSeq: number;
  limit: number;
}

// Microseconds, as Postgres keeps them: the verifier must see exactly what is stored.
const COLUMNS = `seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, action,
       subject_type AS "subjectType", subject_id AS "subjectId", body`;

const SQL = {
  // The counter row's lock is held until commit: one total order across processes, no gaps.
  advanceHead: `UPDATE audit_log_head SET size = size + $1 RETURNING size`,
  headSize: `SELECT size FROM audit_log_head`,
  insert: `
    INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, body)
    SELECT s, $2, a, act, st, sid, b::jsonb
      FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(s, a, act, st, sid, b)`,
  search: `
    SELECT ${COLUMNS} FROM audit_events
     WHERE seq > $1
       AND ($2::text IS NULL OR (subject_type = 'clip' AND subject_id = $2))
       AND ($3::text IS NULL OR actor = $3)
       AND ($4::text IS NULL OR action = $4)
       AND ($5::timestamptz IS NULL OR at >= $5)
       AND ($6::timestamptz IS NULL OR at < $6)
     ORDER BY seq
     LIMIT $7`,
  range: `SELECT ${COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
} as const;

type StoredRow = Omit<AuditEvent, 'seq'> & { seq: string; at: string };

/** The audit log's events (audit_events) and its head counter. Rows are never updated or deleted (triggers refuse). */
export class AuditEventRepository {
  static readonly sql = SQL;

  /** Reserves `count` sequence numbers; returns the first. */
  async advanceHead(db: Queryable, count: number): Promise<number> {
    const [{ size }] = await updatedRows<{ size: string }>(db, SQL.advanceHead, [count]);
    return Number(size) - count + 1;
  }

  async headSize(db: Queryable): Promise<number> {
    const [{ size }]: { size: string }[] = await db.query(SQL.headSize);
    return Number(size);
  }

  async insert(db: Queryable, at: Date, events: readonly Omit<AuditEvent, 'at'>[]): Promise<void> {
    await db.query(SQL.insert, [
      events.map((e) => e.seq),
      at,
      events.map((e) => e.actor),
      events.map((e) => e.action),
      events.map((e) => e.subjectType),
      events.map((e) => e.subjectId),
      events.map((e) => JSON.stringify(e.body)),
    ]);
  }

  async search(db: Queryable, f: AuditEventFilter): Promise<AuditEvent[]> {
    const rows: StoredRow[] = await db.query(SQL.search, [f.afterSeq, f.clipId, f.actor, f.action, f.from, f.to, f.limit]);
    return rows.map(toEvent);
  }

  /** Events with afterSeq < seq <= lastSeq, at most `limit`, in order, with `at` exactly as stored. */
  async range(db: Queryable, afterSeq: number, lastSeq: number, limit: number): Promise<AuditEvent[]> {
    const rows: StoredRow[] = await db.query(SQL.range, [afterSeq, lastSeq, limit]);
    return rows.map(toEvent);
  }
}

const toEvent = (r: StoredRow): AuditEvent => ({ ...r, seq: Number(r.seq) });
