import type { AuditEvent } from '../../engines/merkle-log';
import type { Queryable } from '../../database/queryable';

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
  // No seq and no shared row: concurrent writers do not wait for each other. Ids follow the entries' order.
  insert: `
    INSERT INTO audit_events (at, actor, action, subject_type, subject_id, body)
    SELECT $1, a, act, st, sid, b::jsonb
      FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(a, act, st, sid, b, n)
     ORDER BY n
    RETURNING id`,
  headSize: `SELECT size FROM audit_log_head`,
  setHeadSize: `UPDATE audit_log_head SET size = $1`,
  unsequenced: `SELECT id, ${COLUMNS} FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT $1`,
  assignSeqs: `UPDATE audit_events e SET seq = v.seq FROM unnest($1::bigint[], $2::bigint[]) AS v(id, seq) WHERE e.id = v.id`,
  seqOf: `SELECT seq FROM audit_events WHERE id = $1`,
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

/** An event that is committed but has no position in the log yet. */
export interface UnsequencedEvent extends Omit<AuditEvent, 'seq'> {
  id: number;
  at: string;
}

/**
 * The audit log's events (audit_events) and its head counter. Rows are never
 * deleted, and never updated except that the sequencer sets an event's seq
 * once (triggers refuse anything else).
 */
export class AuditEventRepository {
  static readonly sql = SQL;

  /** Inserts events without a position; returns their ids, in the entries' order. */
  async insert(db: Queryable, at: Date, events: readonly Omit<AuditEvent, 'seq' | 'at'>[]): Promise<number[]> {
    const rows: { id: string }[] = await db.query(SQL.insert, [
      at,
      events.map((e) => e.actor),
      events.map((e) => e.action),
      events.map((e) => e.subjectType),
      events.map((e) => e.subjectId),
      events.map((e) => JSON.stringify(e.body)),
    ]);
    // RETURNING does not promise an order; ids were drawn in the entries' order.
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** How many events have a position: the next one gets size + 1. */
  async headSize(db: Queryable): Promise<number> {
    const [{ size }]: { size: string }[] = await db.query(SQL.headSize);
    return Number(size);
  }

  async setHeadSize(db: Queryable, size: number): Promise<void> {
    await db.query(SQL.setHeadSize, [size]);
  }

  /** Committed events without a position, oldest id first. */
  async unsequenced(db: Queryable, limit: number): Promise<UnsequencedEvent[]> {
    const rows: (Omit<UnsequencedEvent, 'id'> & { id: string })[] = await db.query(SQL.unsequenced, [limit]);
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async assignSeqs(db: Queryable, ids: readonly number[], seqs: readonly number[]): Promise<void> {
    await db.query(SQL.assignSeqs, [ids, seqs]);
  }

  /** The event's position, or null while it has none (or no such event is committed). */
  async seqOf(db: Queryable, id: number): Promise<number | null> {
    const [row]: { seq: string | null }[] = await db.query(SQL.seqOf, [id]);
    return row?.seq == null ? null : Number(row.seq);
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
