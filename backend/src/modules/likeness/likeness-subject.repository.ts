import type { LikenessSubjectKind } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export interface LikenessSubjectRecord {
  id: string;
  kind: LikenessSubjectKind;
  displayName: string;
  aliases: string[];
  distinctive: boolean;
  userId: string | null;
  createdAt: Date;
}

export interface LikenessGrantRecord {
  id: string;
  subjectId: string;
  creatorId: string | null;
  everyone: boolean;
  until: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface LikenessTemplateRecord {
  id: string;
  subjectId: string;
  modelVersion: string;
  sealedEmbedding: Buffer;
}

const SUBJECT = `s.id, s.kind, s.display_name AS "displayName", s.aliases, s.distinctive, s.user_id AS "userId", s.created_at AS "createdAt"`;
const GRANT = `g.id, g.subject_id AS "subjectId", g.creator_id AS "creatorId", g.everyone, g.until, g.created_at AS "createdAt", g.revoked_at AS "revokedAt"`;

const SQL = {
  insert: `INSERT INTO likeness_subjects (id, kind, display_name, aliases, distinctive, user_id) VALUES ($1, $2, $3, $4, $5, $6)`,
  byId: `SELECT ${SUBJECT} FROM likeness_subjects s WHERE s.id = $1`,
  byIds: `SELECT ${SUBJECT} FROM likeness_subjects s WHERE s.id = ANY($1::uuid[])`,
  byUser: `SELECT ${SUBJECT} FROM likeness_subjects s WHERE s.user_id = $1`,
  list: `SELECT ${SUBJECT} FROM likeness_subjects s ORDER BY s.created_at, s.id`,
  delete: `DELETE FROM likeness_subjects WHERE id = $1 RETURNING id`,
  grantsOf: `SELECT ${GRANT} FROM likeness_grants g WHERE g.subject_id = ANY($1::uuid[]) ORDER BY g.created_at DESC, g.id`,
  // The grants a check may rely on: not revoked; `until` is compared by the rule, at the time of the check.
  unrevokedGrants: `SELECT ${GRANT} FROM likeness_grants g WHERE g.revoked_at IS NULL`,
  insertGrant: `INSERT INTO likeness_grants (id, subject_id, creator_id, everyone, until) VALUES ($1, $2, $3, $4, $5) RETURNING created_at AS "createdAt"`,
  revokeGrant: `UPDATE likeness_grants SET revoked_at = now() WHERE id = $1 AND subject_id = $2 AND revoked_at IS NULL RETURNING id`,
  grantById: `SELECT ${GRANT} FROM likeness_grants g WHERE g.id = $1 AND g.subject_id = $2`,
  insertTemplate: `INSERT INTO likeness_templates (id, subject_id, model_version, sealed_embedding, image_sha256) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id, image_sha256) DO NOTHING RETURNING id`,
  templateCounts: `SELECT subject_id AS "subjectId", count(*)::int AS n FROM likeness_templates WHERE subject_id = ANY($1::uuid[]) GROUP BY 1`,
  templates: `SELECT id, subject_id AS "subjectId", model_version AS "modelVersion", sealed_embedding AS "sealedEmbedding" FROM likeness_templates`,
  // Bumped inside every write's transaction: readers reload their copy when it moves.
  bumpVersion: `UPDATE likeness_registry_state SET version = version + 1 WHERE id = 1 RETURNING version`,
  version: `SELECT version FROM likeness_registry_state WHERE id = 1`,
} as const;

/** The likeness registry (likeness_subjects with their likeness_grants): one aggregate, a subject and the consent it gave. */
export class LikenessSubjectRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, s: Omit<LikenessSubjectRecord, 'createdAt'>): Promise<void> {
    await db.query(SQL.insert, [s.id, s.kind, s.displayName, s.aliases, s.distinctive, s.userId]);
    await this.bumpVersion(db);
  }

  async byId(db: Queryable, id: string): Promise<LikenessSubjectRecord | null> {
    const [row]: LikenessSubjectRecord[] = await db.query(SQL.byId, [id]);
    return row ?? null;
  }

  byIds(db: Queryable, ids: readonly string[]): Promise<LikenessSubjectRecord[]> {
    return ids.length ? db.query(SQL.byIds, [ids]) : Promise.resolve([]);
  }

  async byUser(db: Queryable, userId: string): Promise<LikenessSubjectRecord | null> {
    const [row]: LikenessSubjectRecord[] = await db.query(SQL.byUser, [userId]);
    return row ?? null;
  }

  list(db: Queryable): Promise<LikenessSubjectRecord[]> {
    return db.query(SQL.list);
  }

  /** Deletes the subject, its names and (by cascade) its grants; false when there was none. */
  async delete(db: Queryable, id: string): Promise<boolean> {
    const rows = await updatedRows(db, SQL.delete, [id]);
    if (rows.length) await this.bumpVersion(db);
    return rows.length === 1;
  }

  grantsOf(db: Queryable, subjectIds: readonly string[]): Promise<LikenessGrantRecord[]> {
    return db.query(SQL.grantsOf, [subjectIds]);
  }

  unrevokedGrants(db: Queryable): Promise<LikenessGrantRecord[]> {
    return db.query(SQL.unrevokedGrants);
  }

  async insertGrant(db: Queryable, g: Omit<LikenessGrantRecord, 'createdAt' | 'revokedAt'>): Promise<LikenessGrantRecord> {
    const [row]: Array<{ createdAt: Date }> = await db.query(SQL.insertGrant, [g.id, g.subjectId, g.creatorId, g.everyone, g.until]);
    await this.bumpVersion(db);
    return { ...g, createdAt: row.createdAt, revokedAt: null };
  }

  /** Revokes an unrevoked grant of the subject; null when there is no such grant or it was already revoked. */
  async revokeGrant(db: Queryable, subjectId: string, grantId: string): Promise<LikenessGrantRecord | null> {
    const rows = await updatedRows(db, SQL.revokeGrant, [grantId, subjectId]);
    if (!rows.length) return null;
    await this.bumpVersion(db);
    const [row]: LikenessGrantRecord[] = await db.query(SQL.grantById, [grantId, subjectId]);
    return row;
  }

  async grantById(db: Queryable, subjectId: string, grantId: string): Promise<LikenessGrantRecord | null> {
    const [row]: LikenessGrantRecord[] = await db.query(SQL.grantById, [grantId, subjectId]);
    return row ?? null;
  }

  /** Adds a template; false when this image was already enrolled for the subject. */
  async insertTemplate(db: Queryable, t: LikenessTemplateRecord & { imageSha256: string }): Promise<boolean> {
    const rows: unknown[] = await db.query(SQL.insertTemplate, [t.id, t.subjectId, t.modelVersion, t.sealedEmbedding, t.imageSha256]);
    if (rows.length) await this.bumpVersion(db);
    return rows.length === 1;
  }

  async templateCounts(db: Queryable, subjectIds: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<{ subjectId: string; n: number }> = await db.query(SQL.templateCounts, [subjectIds]);
    return new Map(rows.map((r) => [r.subjectId, r.n]));
  }

  templates(db: Queryable): Promise<LikenessTemplateRecord[]> {
    return db.query(SQL.templates);
  }

  async version(db: Queryable): Promise<number> {
    const [row]: Array<{ version: string }> = await db.query(SQL.version);
    return Number(row.version);
  }

  private async bumpVersion(db: Queryable): Promise<void> {
    await updatedRows(db, SQL.bumpVersion, []);
  }
}
