import type { ModerationPolicy } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';

export interface PolicyRecord {
  version: string;
  document: ModerationPolicy;
  sha256: string;
  setBy: string;
  setAt: Date;
}

const COLUMNS = `version, document, sha256, set_by AS "setBy", set_at AS "setAt"`;

const SQL = {
  latest: `SELECT ${COLUMNS} FROM moderation_policies ORDER BY seq DESC LIMIT 1`,
  // One change at a time, so that each audit event names the version it replaced. An advisory lock,
  // because the application role may only SELECT and INSERT this table, too little for LOCK TABLE.
  lockForChange: `SELECT pg_advisory_xact_lock(hashtext('moderation_policies'))`,
  versionTaken: `SELECT 1 FROM moderation_policies WHERE version = $1`,
  insert: `INSERT INTO moderation_policies (version, document, sha256, set_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
} as const;

/** Stored moderation policy versions (moderation_policies, append-only). */
export class ModerationPolicyRepository {
  static readonly sql = SQL;

  async latest(db: Queryable): Promise<PolicyRecord | null> {
    const [row]: PolicyRecord[] = await db.query(SQL.latest);
    return row ?? null;
  }

  async lockForChange(db: Queryable): Promise<void> {
    await db.query(SQL.lockForChange);
  }

  async versionTaken(db: Queryable, version: string): Promise<boolean> {
    return (await db.query(SQL.versionTaken, [version])).length > 0;
  }

  async insert(db: Queryable, p: { version: string; document: ModerationPolicy; sha256: string; setBy: string }): Promise<PolicyRecord> {
    const [row]: PolicyRecord[] = await db.query(SQL.insert, [p.version, JSON.stringify(p.document), p.sha256, p.setBy]);
    return row;
  }
}
