import type { Queryable } from '../../database/queryable';

export type ReopeningKind = 'blocked_override' | 'rejection_reopen';

const SQL = {
  insert: `INSERT INTO review_reopenings (clip_id, round, kind, actor_id, reason, reason_sha256) VALUES ($1, $2, $3, $4, $5, $6)`,
  forRound: `SELECT kind, actor_id AS "actorId" FROM review_reopenings WHERE clip_id = $1 AND round = $2`,
  eraseReasonsOf: `UPDATE review_reopenings SET reason = NULL WHERE actor_id = $1 RETURNING id`,
} as const;

/** Overrides of blocks and reopened rejections (review_reopenings), with their written reasons (erasable). */
export class ReviewReopeningRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, r: { clipId: string; round: number; kind: ReopeningKind; actorId: string; reason: string; reasonSha256: string }): Promise<void> {
    await db.query(SQL.insert, [r.clipId, r.round, r.kind, r.actorId, r.reason, r.reasonSha256]);
  }

  /** The override or reopening that let the clip into review round `round`, if one did. */
  async forRound(db: Queryable, clipId: string, round: number): Promise<{ kind: ReopeningKind; actorId: string } | null> {
    const [row]: { kind: ReopeningKind; actorId: string }[] = await db.query(SQL.forRound, [clipId, round]);
    return row ?? null;
  }

  async eraseReasonsOf(db: Queryable, actorId: string): Promise<void> {
    await db.query(SQL.eraseReasonsOf, [actorId]);
  }
}
