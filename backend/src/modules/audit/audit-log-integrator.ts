import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { CheckpointSigner, MerkleLog } from '../../engines/merkle-log';
import { APP_CONFIG } from '../core/tokens';
import { PeriodicTask } from '../core/periodic-task';
import { AUDIT_SIGNER } from './audit-tokens';
import type { Queryable } from '../../database/queryable';
import { AuditEventRepository } from './audit-event.repository';
import { CheckpointRepository } from './checkpoint.repository';
import { MerkleNodeRepository } from './merkle-node.repository';

const LEAF_BATCH = 20_000;
const COVERING_ATTEMPTS = 50;
const COVERING_RETRY_MS = 100;

/**
 * Folds newly appended leaves into the Merkle tree and signs a checkpoint
 * for the new size, every AUDIT_CHECKPOINT_INTERVAL_MS while the log grows.
 * Runs in every api and worker process; an advisory lock elects one per turn.
 */
@Injectable()
export class AuditLogIntegrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly turns = new PeriodicTask('audit log integration', this.config.AUDIT_CHECKPOINT_INTERVAL_MS, () => this.integrate());
  private readonly checkpoints = new CheckpointRepository();
  private readonly events = new AuditEventRepository();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.turns.start();
  }

  onApplicationShutdown(): void {
    this.turns.stop();
  }

  /** Integrates everything committed so far; returns the signed tree size, or null if another process holds the turn. */
  integrate(): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.checkpoints.takeIntegratorTurn(m))) return null;
      const signedSize = await this.checkpoints.latestSize(m);
      // The head only ever shows committed appends, and those always form a prefix of the log.
      const target = await this.events.headSize(m);
      if (target === signedSize && signedSize > 0) return signedSize;
      const nodes = new MerkleNodeRepository(m);
      const log = await MerkleLog.open(nodes, signedSize);
      for (let from = signedSize; from < target; from += LEAF_BATCH) {
        const leaves = await nodes.leavesFrom(from, Math.min(target, from + LEAF_BATCH));
        await log.append(leaves.map((l) => l.hash));
      }
      if (log.size !== target) throw new Error(`audit log leaves are missing: tree has ${log.size}, head says ${target}`);
      await signCheckpoint(m, this.signer, this.config.AUDIT_LOG_ORIGIN, target, log.rootHash());
      return target;
    });
  }

  /** The smallest signed checkpoint whose tree includes `seq`, integrating first when none does yet; null if none appears. */
  async checkpointCovering(seq: number): Promise<string | null> {
    for (let attempt = 0; attempt < COVERING_ATTEMPTS; attempt++) {
      const covering = await this.checkpoints.smallestCovering(this.dataSource, seq);
      if (covering) return covering.signedNote;
      // null: another process holds this turn of integration; its checkpoint appears shortly.
      if ((await this.integrate()) === null) await new Promise((r) => setTimeout(r, COVERING_RETRY_MS));
    }
    return null;
  }
}

/** Signs and stores a checkpoint for `treeSize` (idempotent: an existing one is returned). */
export async function signCheckpoint(m: Queryable, signer: CheckpointSigner, origin: string, treeSize: number, rootHash: Buffer): Promise<string> {
  const signedNote = signer.sign({ origin, treeSize, rootHash, timestamp: new Date().toISOString() });
  return (await new CheckpointRepository().insert(m, { treeSize, rootHash, signedNote })).signedNote;
}
