import type { Role } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  createdAt: Date;
  disabledAt: Date | null;
}

/** Notified (by a trigger, at commit) with a user's id when their roles, disabled state or API keys change. */
export const ACCOUNT_CHANGES_CHANNEL = 'provenant_account_changes';
const ERASED_PASSWORD = '!erased';

const COLUMNS = `id, email, password_hash AS "passwordHash", roles, created_at AS "createdAt", disabled_at AS "disabledAt"`;

const SQL = {
  insert: `INSERT INTO users (email, password_hash, roles) VALUES ($1, $2, $3) ON CONFLICT (lower(email)) DO NOTHING RETURNING ${COLUMNS}`,
  findById: `SELECT ${COLUMNS} FROM users WHERE id = $1`,
  findByEmail: `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
  list: `SELECT ${COLUMNS} FROM users ORDER BY created_at`,
  anyAdmin: `SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1`,
  // Row locks, so two transactions that each would leave one admin run one after the other.
  lockEnabledAdmins: `SELECT id FROM users WHERE 'admin' = ANY(roles) AND disabled_at IS NULL ORDER BY id FOR UPDATE`,
  setDisabled: `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) END WHERE id = $1 RETURNING ${COLUMNS}`,
  setRoles: `UPDATE users SET roles = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
  listen: `LISTEN ${ACCOUNT_CHANGES_CHANNEL}`,
  erase: `
    UPDATE users SET email = 'erased-' || id || '@erased.invalid', password_hash = '${ERASED_PASSWORD}', disabled_at = coalesce(disabled_at, now())
     WHERE id = $1
    RETURNING id`,
} as const;

/** An erased account keeps its id (the audit log names it) but can never sign in or be enabled again. */
export const isErased = (u: UserRecord): boolean => u.passwordHash === ERASED_PASSWORD;

/** People who sign in (users). */
export class UserRepository {
  static readonly sql = SQL;

  /** Null when a user with this e-mail (in any case) exists. */
  async insert(db: Queryable, u: { email: string; passwordHash: string; roles: Role[] }): Promise<UserRecord | null> {
    const [row]: UserRecord[] = await db.query(SQL.insert, [u.email, u.passwordHash, u.roles]);
    return row ?? null;
  }

  async findById(db: Queryable, id: string): Promise<UserRecord | null> {
    const [row]: UserRecord[] = await db.query(SQL.findById, [id]);
    return row ?? null;
  }

  async findByEmail(db: Queryable, email: string): Promise<UserRecord | null> {
    const [row]: UserRecord[] = await db.query(SQL.findByEmail, [email]);
    return row ?? null;
  }

  list(db: Queryable): Promise<UserRecord[]> {
    return db.query(SQL.list);
  }

  async anyAdmin(db: Queryable): Promise<boolean> {
    return (await db.query(SQL.anyAdmin)).length > 0;
  }

  /**
   * Ids of the admins who can still sign in, locked until the caller's transaction ends. A
   * transaction that waited sees the others' commits: an admin disabled meanwhile is not listed.
   */
  async lockEnabledAdmins(db: Queryable): Promise<string[]> {
    const rows: { id: string }[] = await db.query(SQL.lockEnabledAdmins);
    return rows.map((r) => r.id);
  }

  async setDisabled(db: Queryable, id: string, disabled: boolean): Promise<UserRecord | null> {
    const [row] = await updatedRows<UserRecord>(db, SQL.setDisabled, [id, disabled]);
    return row ?? null;
  }

  async setRoles(db: Queryable, id: string, roles: Role[]): Promise<UserRecord | null> {
    const [row] = await updatedRows<UserRecord>(db, SQL.setRoles, [id, roles]);
    return row ?? null;
  }

  /** Subscribes a dedicated connection to account changes (ACCOUNT_CHANGES_CHANNEL). */
  async listen(connection: Queryable): Promise<void> {
    await connection.query(SQL.listen);
  }

  /** Right to erasure: e-mail and password go, the account is disabled; false when there is no such user. */
  async erase(db: Queryable, id: string): Promise<boolean> {
    return (await updatedRows(db, SQL.erase, [id])).length > 0;
  }
}
