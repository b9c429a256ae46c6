import type { AppealDecisionKind, AppealStatus, ClipState } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export interface PromptAppealRecord {
  clipId: string;
  appellantId: string;
  reason: string | null;
  appealedAt: Date;
  decision: AppealDecisionKind | null;
  decidedBy: string | null;
  reasonCode: string | null;
  reasonCatalogVersion: string | null;
  decidedAt: Date | null;
}

/** An appeal with the clip it is about, for the senior reviewers' list. */
export interface AppealListRecord extends PromptAppealRecord {
  state: ClipState;
  prompt: string | null;
  createdBy: string;
  failureReason: string | null;
}

const COLUMNS = `a.clip_id AS "clipId", a.appellant_id AS "appellantId", a.reason, a.appealed_at AS "appealedAt", a.decision,
  a.decided_by AS "decidedBy", a.reason_code AS "reasonCode", a.reason_catalog_version AS "reasonCatalogVersion", a.decided_at AS "decidedAt"`;

const SQL = {
  insert: `INSERT INTO prompt_appeals (clip_id, appellant_id, reason, reason_sha256) VALUES ($1, $2, $3, $4)`,
  ofClip: `SELECT ${COLUMNS} FROM prompt_appeals a WHERE a.clip_id = $1`,
  lock: `SELECT ${COLUMNS} FROM prompt_appeals a WHERE a.clip_id = $1 FOR UPDATE`,
  decide: `
    UPDATE prompt_appeals SET decision = $2, decided_by = $3, reason_code = $4, reason_catalog_version = $5, note = $6, note_sha256 = $7, decided_at = now()
     WHERE clip_id = $1 AND decision IS NULL
    RETURNING clip_id`,
  // Pending ones oldest first (the order they wait in); decided ones most recent first.
  list: `
    SELECT ${COLUMNS}, c.state, c.prompt, c.created_by AS "createdBy", c.failure_reason AS "failureReason"
      FROM prompt_appeals a JOIN clips c ON c.id = a.clip_id
     WHERE CASE $1::text WHEN 'pending' THEN a.decision IS NULL WHEN 'granted' THEN a.decision = 'grant' ELSE a.decision = 'deny' END
     ORDER BY CASE WHEN $1::text = 'pending' THEN a.appealed_at END ASC, a.decided_at DESC, a.clip_id
     LIMIT $2`,
  eraseReasonsOf: `UPDATE prompt_appeals SET reason = NULL WHERE appellant_id = $1 RETURNING clip_id`,
  eraseNotesOf: `UPDATE prompt_appeals SET note = NULL WHERE decided_by = $1 RETURNING clip_id`,
} as const;

/** Appeals of prompt blocks (prompt_appeals), one per clip, with the creator's reason and the decider's note (both erasable). */
export class PromptAppealRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, a: { clipId: string; appellantId: string; reason: string; reasonSha256: string }): Promise<void> {
    await db.query(SQL.insert, [a.clipId, a.appellantId, a.reason, a.reasonSha256]);
  }

  async ofClip(db: Queryable, clipId: string): Promise<PromptAppealRecord | null> {
    const [row]: PromptAppealRecord[] = await db.query(SQL.ofClip, [clipId]);
    return row ?? null;
  }

  /** Locks the clip's appeal; call after locking the clip (the order every writer uses). */
  async lock(db: Queryable, clipId: string): Promise<PromptAppealRecord | null> {
    const [row]: PromptAppealRecord[] = await db.query(SQL.lock, [clipId]);
    return row ?? null;
  }

  /** Records the decision on a still-pending appeal; false when it was already decided. */
  async decide(
    db: Queryable,
    clipId: string,
    d: { decision: AppealDecisionKind; decidedBy: string; reasonCode: string; reasonCatalogVersion: string; note: string; noteSha256: string },
  ): Promise<boolean> {
    const rows = await updatedRows(db, SQL.decide, [clipId, d.decision, d.decidedBy, d.reasonCode, d.reasonCatalogVersion, d.note, d.noteSha256]);
    return rows.length === 1;
  }

  list(db: Queryable, status: AppealStatus, limit: number): Promise<AppealListRecord[]> {
    return db.query(SQL.list, [status, limit]);
  }

  /** Right to erasure: a person's written appeal reasons and decision notes; the hashes in the audit log stay. */
  async eraseWritingOf(db: Queryable, userId: string): Promise<void> {
    await db.query(SQL.eraseReasonsOf, [userId]);
    await db.query(SQL.eraseNotesOf, [userId]);
  }
}
