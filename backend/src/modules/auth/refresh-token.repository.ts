import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

const SQL = {
  insert: `INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`,
  // Spent on first use, whether or not the caller then succeeds.
  consume: `UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING user_id AS "userId"`,
  revokeAllOf: `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1 RETURNING id`,
} as const;

/** Refresh tokens (refresh_tokens), stored as SHA-256 hashes and rotated on every use. */
export class RefreshTokenRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, t: { userId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await db.query(SQL.insert, [t.userId, t.tokenHash, t.expiresAt]);
  }

  async consume(db: Queryable, tokenHash: string): Promise<string | null> {
    const [row] = await updatedRows<{ userId: string }>(db, SQL.consume, [tokenHash]);
    return row?.userId ?? null;
  }

  async revokeAllOf(db: Queryable, userId: string): Promise<void> {
    await updatedRows(db, SQL.revokeAllOf, [userId]);
  }
}
