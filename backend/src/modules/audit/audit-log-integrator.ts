import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { CheckpointSigner, MerkleLog } from '../../engines/merkle-log';
import { APP_CONFIG } from '../core/tokens';
import { logger } from '../ops/logger';
import { AUDIT_SIGNER } from './audit-tokens';
import { PostgresHashStore } from './postgres-hash-store';

// Only one process integrates at a time; the others skip their turn.
const INTEGRATOR_LOCK_KEY = 7_305_161_002;
const LEAF_BATCH = 20_000;

/**
 * Folds newly appended leaves into the Merkle tree and signs a checkpoint
 * for the new size, every AUDIT_CHECKPOINT_INTERVAL_MS while the log grows.
 * Runs in every api and worker process; an advisory lock elects one per turn.
 */
@Injectable()
export class AuditLogIntegrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.integrate().catch((err: Error) => logger.warn({ err: err.message }, 'audit log integration failed; will retry'));
      this.schedule();
    }, this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
  }

  /** Integrates everything committed so far; returns the signed tree size, or null if another process holds the turn. */
  integrate(): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [INTEGRATOR_LOCK_KEY]);
      if (!locked) return null;
      const signedSize = await latestCheckpointSize(m);
      // The head only ever shows committed appends, and those always form a prefix of the log.
      const [{ size }] = await m.query('SELECT size FROM audit_log_head');
      const target = Number(size);
      if (target === signedSize && signedSize > 0) return signedSize;
      const log = await MerkleLog.open(new PostgresHashStore(m), signedSize);
      for (let from = signedSize; from < target; from += LEAF_BATCH) {
        const rows: { hash: Buffer }[] = await m.query(
          'SELECT hash FROM audit_merkle_nodes WHERE level = 0 AND idx >= $1 AND idx < $2 ORDER BY idx',
          [from, Math.min(target, from + LEAF_BATCH)],
        );
        await log.append(rows.map((r) => r.hash));
      }
      if (log.size !== target) throw new Error(`audit log leaves are missing: tree has ${log.size}, head says ${target}`);
      await insertCheckpoint(m, this.signer, this.config.AUDIT_LOG_ORIGIN, target, log.rootHash());
      return target;
    });
  }
}

export async function latestCheckpointSize(m: Pick<EntityManager, 'query'>): Promise<number> {
  const rows: { tree_size: string }[] = await m.query('SELECT tree_size FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1');
  return rows.length ? Number(rows[0].tree_size) : 0;
}

/** Signs and stores a checkpoint for `treeSize` (idempotent: an existing one is returned). */
export async function insertCheckpoint(m: Pick<EntityManager, 'query'>, signer: CheckpointSigner, origin: string, treeSize: number, rootHash: Buffer): Promise<string> {
  const note = signer.sign({ origin, treeSize, rootHash, timestamp: new Date().toISOString() });
  await m.query('INSERT INTO audit_checkpoints (tree_size, root_hash, signed_note) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING', [treeSize, rootHash, note]);
  const [row] = await m.query('SELECT signed_note FROM audit_checkpoints WHERE tree_size = $1', [treeSize]);
  return row.signed_note as string;
}
