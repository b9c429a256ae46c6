import type { Role } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

const SQL = {
  insert: `INSERT INTO api_keys (user_id, name, key_hash) VALUES ($1, $2, $3) RETURNING id`,
  revoke: `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`,
  revokeAllOf: `UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
  // Resolving a key also records its use; a disabled owner's keys resolve to nothing.
  useByHash: `
    UPDATE api_keys k SET last_used_at = now() FROM users u
     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.id = k.user_id AND u.disabled_at IS NULL
    RETURNING k.id, k.user_id AS "userId", u.roles`,
} as const;

/** Integrations' API keys (api_keys), stored as SHA-256 hashes. */
export class ApiKeyRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, k: { userId: string; name: string; keyHash: string }): Promise<string> {
    const [row]: { id: string }[] = await db.query(SQL.insert, [k.userId, k.name, k.keyHash]);
    return row.id;
  }

  /** False when there is no active key with this id. */
  async revoke(db: Queryable, id: string): Promise<boolean> {
    return (await updatedRows(db, SQL.revoke, [id])).length > 0;
  }

  /** Revokes every live one of the user's; how many there were. */
  async revokeAllOf(db: Queryable, userId: string): Promise<number> {
    return (await updatedRows(db, SQL.revokeAllOf, [userId])).length;
  }

  async useByHash(db: Queryable, keyHash: string): Promise<{ id: string; userId: string; roles: Role[] } | null> {
    const [row] = await updatedRows<{ id: string; userId: string; roles: Role[] }>(db, SQL.useByHash, [keyHash]);
    return row ?? null;
  }
}
