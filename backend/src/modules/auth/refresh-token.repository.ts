import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

/** A stored refresh token, by id: never its hash or the token itself. */
export interface RefreshTokenRef {
  id: string;
  userId: string;
  familyId: string;
}

const REF = `id, user_id AS "userId", family_id AS "familyId"`;

const SQL = {
  insert: `INSERT INTO refresh_tokens (user_id, token_hash, expires_at, family_id) VALUES ($1, $2, $3, $4)`,
  // Spent on first use (rotation), whether or not the caller then succeeds.
  consume: `UPDATE refresh_tokens SET revoked_at = now(), rotated_at = now() WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING ${REF}`,
  findRotated: `SELECT ${REF} FROM refresh_tokens WHERE token_hash = $1 AND rotated_at IS NOT NULL`,
  findOfUser: `SELECT ${REF} FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2`,
  revokeFamily: `UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = $1 RETURNING id`,
  revokeAllOf: `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
} as const;

/** Refresh tokens (refresh_tokens), stored as SHA-256 hashes, rotated on every use, grouped in families (one per login). */
export class RefreshTokenRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, t: { userId: string; tokenHash: string; expiresAt: Date; familyId: string }): Promise<void> {
    await db.query(SQL.insert, [t.userId, t.tokenHash, t.expiresAt, t.familyId]);
  }

  /** Spends a live token; null when there is none with this hash (unknown, expired, revoked or already rotated). */
  async consume(db: Queryable, tokenHash: string): Promise<RefreshTokenRef | null> {
    const [row] = await updatedRows<RefreshTokenRef>(db, SQL.consume, [tokenHash]);
    return row ?? null;
  }

  /** The token with this hash if it was already spent by rotation: presenting it again is a replay. */
  async findRotated(db: Queryable, tokenHash: string): Promise<RefreshTokenRef | null> {
    const [row]: RefreshTokenRef[] = await db.query(SQL.findRotated, [tokenHash]);
    return row ?? null;
  }

  async findOfUser(db: Queryable, tokenHash: string, userId: string): Promise<RefreshTokenRef | null> {
    const [row]: RefreshTokenRef[] = await db.query(SQL.findOfUser, [tokenHash, userId]);
    return row ?? null;
  }

  /** Ends a login's whole chain of tokens. */
  async revokeFamily(db: Queryable, familyId: string): Promise<void> {
    await updatedRows(db, SQL.revokeFamily, [familyId]);
  }

  /** Revokes every live one of the user's; how many there were. */
  async revokeAllOf(db: Queryable, userId: string): Promise<number> {
    return (await updatedRows(db, SQL.revokeAllOf, [userId])).length;
  }
}
