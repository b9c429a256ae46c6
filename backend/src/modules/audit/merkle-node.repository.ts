import { MissingNodeError, type HashStore, type NodeId, type StoredNode } from '../../engines/merkle-log';
import type { Queryable } from '../../database/queryable';

const SQL = {
  get: `
    SELECT n.level, n.idx, n.hash FROM audit_merkle_nodes n
      JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
  // Nodes never change; a re-put of an existing node (level-0 leaves are written at append time) is a no-op.
  put: `INSERT INTO audit_merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]) ON CONFLICT DO NOTHING`,
  insertLeaves: `INSERT INTO audit_merkle_nodes (level, idx, hash) SELECT 0, i, h FROM unnest($1::bigint[], $2::bytea[]) AS t(i, h)`,
  leavesFrom: `SELECT idx, hash FROM audit_merkle_nodes WHERE level = 0 AND idx >= $1 AND idx < $2 ORDER BY idx`,
  leavesAfter: `SELECT idx, hash FROM audit_merkle_nodes WHERE level = 0 AND idx > $1 ORDER BY idx LIMIT $2`,
} as const;

/** The Merkle tree's node hashes in audit_merkle_nodes (the engine's HashStore); one round trip per batch. */
export class MerkleNodeRepository implements HashStore {
  static readonly sql = SQL;

  constructor(private readonly db: Queryable) {}

  async get(nodes: readonly NodeId[]): Promise<Buffer[]> {
    if (nodes.length === 0) return [];
    const rows: { level: number; idx: string; hash: Buffer }[] = await this.db.query(SQL.get, [nodes.map((n) => n.level), nodes.map((n) => n.index)]);
    const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, r.hash]));
    return nodes.map(({ level, index }) => {
      const hash = found.get(`${level}/${index}`);
      if (!hash) throw new MissingNodeError(level, index);
      return hash;
    });
  }

  async put(nodes: readonly StoredNode[]): Promise<void> {
    if (nodes.length === 0) return;
    await this.db.query(SQL.put, [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)]);
  }

  /** The leaf hashes of events `seqs` (leaf index = seq - 1), written with the events. */
  async insertLeaves(seqs: readonly number[], leaves: readonly Buffer[]): Promise<void> {
    await this.db.query(SQL.insertLeaves, [seqs.map((s) => s - 1), leaves]);
  }

  /** Stored leaf hashes with index in [from, to), in order. */
  async leavesFrom(from: number, to: number): Promise<{ idx: number; hash: Buffer }[]> {
    return toLeaves(await this.db.query(SQL.leavesFrom, [from, to]));
  }

  /** Up to `limit` stored leaf hashes after index `afterIdx`, whatever gaps a tampered table has. */
  async leavesAfter(afterIdx: number, limit: number): Promise<{ idx: number; hash: Buffer }[]> {
    return toLeaves(await this.db.query(SQL.leavesAfter, [afterIdx, limit]));
  }
}

const toLeaves = (rows: { idx: string; hash: Buffer }[]) => rows.map((r) => ({ idx: Number(r.idx), hash: r.hash }));
