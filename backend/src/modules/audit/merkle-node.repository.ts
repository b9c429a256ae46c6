import type { EntityManager } from 'typeorm';
import { MissingNodeError, type HashStore, type NodeId, type StoredNode } from '../../engines/merkle-log';

/** The Merkle tree's node hashes in audit_merkle_nodes; one round trip per batch. */
export class PostgresHashStore implements HashStore {
  constructor(private readonly db: Pick<EntityManager, 'query'>) {}

  async get(nodes: readonly NodeId[]): Promise<Buffer[]> {
    if (nodes.length === 0) return [];
    const rows: { level: number; idx: string; hash: Buffer }[] = await this.db.query(
      `SELECT n.level, n.idx, n.hash FROM audit_merkle_nodes n
         JOIN unnest($1::smallint[], $2::bigint[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
      [nodes.map((n) => n.level), nodes.map((n) => n.index)],
    );
    const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, r.hash]));
    return nodes.map(({ level, index }) => {
      const hash = found.get(`${level}/${index}`);
      if (!hash) throw new MissingNodeError(level, index);
      return hash;
    });
  }

  async put(nodes: readonly StoredNode[]): Promise<void> {
    if (nodes.length === 0) return;
    // Nodes never change; a re-put of an existing node (level-0 leaves are written at append time) is a no-op.
    await this.db.query(
      `INSERT INTO audit_merkle_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[]) ON CONFLICT DO NOTHING`,
      [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
    );
  }
}
