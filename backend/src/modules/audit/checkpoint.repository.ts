import type { Queryable } from '../../database/queryable';

// Only one process integrates at a time; the others skip their turn.
export const INTEGRATOR_LOCK_KEY = 7_305_161_002;

export interface CheckpointRow {
  treeSize: number;
  rootHash: Buffer;
  signedNote: string;
}

const COLUMNS = `tree_size AS "treeSize", root_hash AS "rootHash", signed_note AS "signedNote"`;

const SQL = {
  takeIntegratorTurn: `SELECT pg_try_advisory_xact_lock(${INTEGRATOR_LOCK_KEY}) AS locked`,
  latestSize: `SELECT tree_size FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1`,
  at: `SELECT ${COLUMNS} FROM audit_checkpoints WHERE tree_size = $1`,
  smallestCovering: `SELECT ${COLUMNS} FROM audit_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1`,
  notesUpTo: `SELECT signed_note FROM audit_checkpoints WHERE tree_size <= $1 ORDER BY tree_size`,
  insert: `INSERT INTO audit_checkpoints (tree_size, root_hash, signed_note) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING`,
} as const;

/** Signed checkpoints of the audit log's Merkle tree (audit_checkpoints), and the integrator's turn. */
export class CheckpointRepository {
  static readonly sql = SQL;

  /** Elects one integrating process per turn: true if this transaction holds the turn until it ends. */
  async takeIntegratorTurn(db: Queryable): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await db.query(SQL.takeIntegratorTurn);
    return locked;
  }

  async latestSize(db: Queryable): Promise<number> {
    const [row]: { tree_size: string }[] = await db.query(SQL.latestSize);
    return row ? Number(row.tree_size) : 0;
  }

  async at(db: Queryable, treeSize: number): Promise<CheckpointRow | null> {
    return toCheckpoint((await db.query(SQL.at, [treeSize]))[0]);
  }

  /** The smallest signed checkpoint whose tree includes event `seq`. */
  async smallestCovering(db: Queryable, seq: number): Promise<CheckpointRow | null> {
    return toCheckpoint((await db.query(SQL.smallestCovering, [seq]))[0]);
  }

  async notesUpTo(db: Queryable, treeSize: number): Promise<string[]> {
    const rows: { signed_note: string }[] = await db.query(SQL.notesUpTo, [treeSize]);
    return rows.map((r) => r.signed_note);
  }

  /** Stores a checkpoint unless one of that size exists; returns the stored one either way. */
  async insert(db: Queryable, c: CheckpointRow): Promise<CheckpointRow> {
    await db.query(SQL.insert, [c.treeSize, c.rootHash, c.signedNote]);
    return (await this.at(db, c.treeSize))!;
  }
}

function toCheckpoint(row: (Omit<CheckpointRow, 'treeSize'> & { treeSize: string }) | undefined): CheckpointRow | null {
  return row ? { ...row, treeSize: Number(row.treeSize) } : null;
}
