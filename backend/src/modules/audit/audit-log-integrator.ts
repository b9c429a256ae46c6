import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { CheckpointSigner, MerkleLog } from '../../engines/merkle-log';
import { APP_CONFIG } from '../core/tokens';
import { PeriodicTask } from '../core/periodic-task';
import { logger } from '../core/logger';
import { AUDIT_SIGNER } from './audit-tokens';
import type { Queryable } from '../../database/queryable';
import { AuditEventRepository } from './audit-event.repository';
import { CheckpointRepository } from './checkpoint.repository';
import { MerkleNodeRepository } from './merkle-node.repository';
import { AuditSequencer } from './audit-sequencer';

const LEAF_BATCH = 20_000;
const TURN_ATTEMPTS = 100;
const TURN_RETRY_MS = 50;

/**
 * Every AUDIT_CHECKPOINT_INTERVAL_MS, in one transaction: sequences the
 * events committed since the last turn (AuditSequencer), folds their leaves
 * into the Merkle tree and signs a checkpoint for the new size. Runs in
 * every api and worker process; an advisory lock elects one per turn.
 */
@Injectable()
export class AuditLogIntegrator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly turns = new PeriodicTask('audit log integration', this.config.AUDIT_CHECKPOINT_INTERVAL_MS, () => this.integrate());
  private readonly checkpoints = new CheckpointRepository();
  private readonly events = new AuditEventRepository();
  private readonly sequencer = new AuditSequencer();

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

  /** Sequences and integrates everything committed so far; returns the signed tree size, or null if another process holds the turn. */
  integrate(): Promise<number | null> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.checkpoints.takeIntegratorTurn(m))) return null;
      const signedSize = await this.checkpoints.latestSize(m);
      const target = await this.sequencer.sequencePending(m);
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

  /**
   * Runs a turn of this process's own, so that every event committed before
   * the call is sequenced and signed when it returns (another process's turn
   * may have read the log before that commit). False if no turn came free
   * or the turn failed (a tampered log can refuse to grow: the caller still
   * gets to read and verify what is there).
   */
  async catchUp(): Promise<boolean> {
    try {
      for (let attempt = 0; attempt < TURN_ATTEMPTS; attempt++) {
        if ((await this.integrate()) !== null) return true;
        await new Promise((r) => setTimeout(r, TURN_RETRY_MS));
      }
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'the audit log could not be sequenced and integrated');
    }
    return false;
  }

  /** The position of committed event `eventId`, sequencing first when it has none yet; null if it gets none. */
  async seqOf(eventId: number): Promise<number | null> {
    const seq = await this.events.seqOf(this.dataSource, eventId);
    if (seq !== null || !(await this.catchUp())) return seq;
    return this.events.seqOf(this.dataSource, eventId);
  }

  /** The smallest signed checkpoint whose tree includes `seq`, integrating first when none does yet; null if none appears. */
  async checkpointCovering(seq: number): Promise<string | null> {
    const covering = await this.checkpoints.smallestCovering(this.dataSource, seq);
    if (covering) return covering.signedNote;
    if (!(await this.catchUp())) return null;
    return (await this.checkpoints.smallestCovering(this.dataSource, seq))?.signedNote ?? null;
  }
}

/** Signs and stores a checkpoint for `treeSize` (idempotent: an existing one is returned). */
export async function signCheckpoint(m: Queryable, signer: CheckpointSigner, origin: string, treeSize: number, rootHash: Buffer): Promise<string> {
  const signedNote = signer.sign({ origin, treeSize, rootHash, timestamp: new Date().toISOString() });
  return (await new CheckpointRepository().insert(m, { treeSize, rootHash, signedNote })).signedNote;
}
