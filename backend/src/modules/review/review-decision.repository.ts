import type { ReviewDecisionKind } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';

export interface NewDecision {
  id: string;
  clipId: string;
  round: number;
  reviewerId: string;
  senior: boolean;
  decision: ReviewDecisionKind;
  reasonCode: string;
  reasonCatalogVersion: string;
  note: string | null;
  noteSha256: string | null;
  mediaSha256: string | null;
  /** The decision ended the round (a final approval, or a rejection). */
  final: boolean;
  auditEventId: number;
}

export interface DecisionRecord {
  round: number;
  decision: ReviewDecisionKind;
  reasonCode: string;
  reasonCatalogVersion: string;
  reviewerId: string;
  senior: boolean;
  decidedAt: Date;
}

export interface FinalApproval {
  round: number;
  /** Approvals recorded in that round, the final one included. */
  approvals: number;
  /** The audit event of the final approval. */
  auditEventId: number;
}

const SQL = {
  insert: `
    INSERT INTO review_decisions (id, clip_id, round, reviewer_id, senior, decision, reason_code, reason_catalog_version, note, note_sha256, media_sha256, final, audit_event_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  listForClip: `
    SELECT round, decision, reason_code AS "reasonCode", reason_catalog_version AS "reasonCatalogVersion", reviewer_id AS "reviewerId",
           senior, decided_at AS "decidedAt"
      FROM review_decisions WHERE clip_id = $1 ORDER BY decided_at, id`,
  latestReasonCode: `SELECT reason_code FROM review_decisions WHERE clip_id = $1 AND decision = $2 ORDER BY decided_at DESC, round DESC LIMIT 1`,
  latestFinalApproval: `
    SELECT d.round, d.audit_event_id AS "auditEventId",
           (SELECT count(*)::int FROM review_decisions a WHERE a.clip_id = d.clip_id AND a.round = d.round AND a.decision = 'approve') AS approvals
      FROM review_decisions d
     WHERE d.clip_id = $1 AND d.decision = 'approve' AND d.final
     ORDER BY d.round DESC, d.decided_at DESC LIMIT 1`,
  eraseNotesOf: `UPDATE review_decisions SET note = NULL WHERE reviewer_id = $1 RETURNING id`,
} as const;

/** Reviewers' decisions (review_decisions), each pointing at its audit event. */
export class ReviewDecisionRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, d: NewDecision): Promise<void> {
    await db.query(SQL.insert, [
      d.id,
      d.clipId,
      d.round,
      d.reviewerId,
      d.senior,
      d.decision,
      d.reasonCode,
      d.reasonCatalogVersion,
      d.note,
      d.noteSha256,
      d.mediaSha256,
      d.final,
      d.auditEventId,
    ]);
  }

  listForClip(db: Queryable, clipId: string): Promise<DecisionRecord[]> {
    return db.query(SQL.listForClip, [clipId]);
  }

  async latestReasonCode(db: Queryable, clipId: string, decision: ReviewDecisionKind): Promise<string | null> {
    const [row]: { reason_code: string }[] = await db.query(SQL.latestReasonCode, [clipId, decision]);
    return row?.reason_code ?? null;
  }

  async latestFinalApproval(db: Queryable, clipId: string): Promise<FinalApproval | null> {
    const [row]: (Omit<FinalApproval, 'auditEventId'> & { auditEventId: string })[] = await db.query(SQL.latestFinalApproval, [clipId]);
    return row ? { ...row, auditEventId: Number(row.auditEventId) } : null;
  }

  /** Right to erasure: the free text a person wrote as a reviewer (its hash stays for the log). */
  async eraseNotesOf(db: Queryable, reviewerId: string): Promise<void> {
    await db.query(SQL.eraseNotesOf, [reviewerId]);
  }
}
