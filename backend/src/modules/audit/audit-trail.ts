import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditCatalogue, AuditCheckpointDto, AuditEventDto, AuditVerificationDto, ConsistencyProofDto, InclusionProofDto, Page } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLogVerifier, CheckpointSigner, MerkleLog, writeAuditExport, type AuditEvent } from '../../engines/merkle-log';
import { sha256Hex } from '../core/hashing';
import { APP_CONFIG } from '../core/tokens';
import { isIsoTime } from '../http/query-params';
import { logger } from '../core/logger';
import { AuditLog } from './audit-log';
import { AuditLogIntegrator } from './audit-log-integrator';
import { AuditEventRepository } from './audit-event.repository';
import { CheckpointRepository } from './checkpoint.repository';
import { AUDIT_SIGNER } from './audit-tokens';
import { MerkleNodeRepository } from './merkle-node.repository';

const BATCH = 10_000;

/** What reading the log records about itself. */
type ReadEntry = { [A in 'audit.searched' | 'audit.exported']: { action: A; body: AuditCatalogue[A]['body'] } }['audit.searched' | 'audit.exported'];

export interface AuditSearch {
  clipId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Reads, proves, verifies and exports the audit log (the compliance side). */
@Injectable()
export class AuditTrail {
  private readonly checkpoints = new CheckpointRepository();
  private readonly events = new AuditEventRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    private readonly integrator: AuditLogIntegrator,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  async latestCheckpoint(): Promise<AuditCheckpointDto> {
    return this.checkpointAt(await this.checkpoints.latestSize(this.dataSource));
  }

  async checkpointAt(treeSize: number): Promise<AuditCheckpointDto> {
    const row = await this.checkpoints.at(this.dataSource, treeSize);
    if (!row) throw new NotFoundException(`no signed checkpoint of tree size ${treeSize}`);
    return { treeSize: row.treeSize, rootHash: row.rootHash.toString('hex'), signedNote: row.signedNote };
  }

  async inclusionProof(seq: number, treeSize?: number): Promise<InclusionProofDto> {
    const checkpoint = treeSize === undefined ? await this.latestCheckpoint() : await this.checkpointAt(treeSize);
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > checkpoint.treeSize) {
      throw new NotFoundException(`event ${seq} is not in the tree of size ${checkpoint.treeSize} (it may not be integrated yet)`);
    }
    const log = await this.openLog();
    const [leafHash] = await log.leafHashes(seq - 1, seq);
    const path = await log.inclusionProof(seq - 1, checkpoint.treeSize);
    return { seq, leafIndex: seq - 1, treeSize: checkpoint.treeSize, leafHash: leafHash.toString('hex'), path: path.map((h) => h.toString('hex')), checkpoint };
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<ConsistencyProofDto> {
    if (!(fromSize <= toSize)) throw new BadRequestException('from: must not be larger than to');
    const [from, to] = [await this.checkpointAt(fromSize), await this.checkpointAt(toSize)];
    const log = await this.openLog();
    const path = await log.consistencyProof(fromSize, toSize);
    return { fromSize, toSize, path: path.map((h) => h.toString('hex')), from, to };
  }

  /** Recomputes every leaf, node and checkpoint signature; records that a verification happened. */
  async verify(actor: string): Promise<AuditVerificationDto> {
    await this.integrator.catchUp();
    const checkpoints = await this.checkpoints.notesUpTo(this.dataSource, Number.MAX_SAFE_INTEGER);
    const verifier = new AuditLogVerifier({ origin: this.config.AUDIT_LOG_ORIGIN, publicKeyPem: this.signer.publicKeyPem, checkpoints });
    for await (const batch of this.eventBatches()) verifier.addEvents(batch);
    const nodes = new MerkleNodeRepository(this.dataSource);
    for (let after = -1; ; ) {
      const leaves = await nodes.leavesAfter(after, BATCH);
      if (!leaves.length) break;
      verifier.addRecordedLeafHashes(leaves.map((l) => l.hash));
      after = leaves[leaves.length - 1].idx;
    }
    const result = verifier.finish();
    // A tampered log may refuse appends (a forged row can occupy the next seq); the verdict must still reach the caller.
    await this.dataSource
      .transaction((m) =>
        this.auditLog.append(m, {
          actor,
          action: 'audit.verified',
          subjectType: 'audit_log',
          subjectId: this.config.AUDIT_LOG_ORIGIN,
          body: { ok: result.ok, checkedEvents: result.checkedEvents, signedTreeSize: result.signedTreeSize, problem: result.firstProblem ?? null },
        }),
      )
      .catch((err: Error) => logger.error({ err: err.message, verification: result }, 'could not record the audit verification'));
    return result;
  }

  /** JSONL lines of events fromSeq..toSeq with checkpoints and inclusion proofs, verifiable offline. */
  async *exportLines(actor: string, fromSeq: number, toSeq?: number): AsyncGenerator<string> {
    const signed = await this.checkpoints.latestSize(this.dataSource);
    const last = toSeq ?? signed;
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1 || !Number.isSafeInteger(last) || last < fromSeq) {
      throw new BadRequestException(`range ${fromSeq}..${last}: must satisfy 1 <= from <= to`);
    }
    if (last > signed) throw new BadRequestException(`to: ${last} is beyond the signed tree size ${signed}; try again in a moment`);
    const log = await this.openLog();
    // Proofs target the first existing checkpoint that covers the range, so an export never signs anything;
    // the latest one comes along with its consistency proof, tying the range to the log as it stands.
    const anchor = (await this.checkpoints.smallestCovering(this.dataSource, last))!;
    const latest = (await this.checkpoints.at(this.dataSource, signed))!;
    await this.record(actor, { action: 'audit.exported', body: { firstSeq: fromSeq, lastSeq: last, proofTreeSize: anchor.treeSize } });
    yield* writeAuditExport(log, {
      origin: this.config.AUDIT_LOG_ORIGIN,
      publicKeyPem: this.signer.publicKeyPem,
      checkpoints: anchor.treeSize === latest.treeSize ? [latest.signedNote] : [anchor.signedNote, latest.signedNote],
      firstSeq: fromSeq,
      lastSeq: last,
      proofTreeSize: anchor.treeSize,
      events: this.eventBatchesFlat(fromSeq - 1, last),
    });
  }

  /** Searching is recorded (audit.searched) before it runs: who looked at the log, for what, is itself in the log. */
  async search(actor: string, q: AuditSearch): Promise<Page<AuditEventDto>> {
    const { limit } = q;
    for (const name of ['from', 'to'] as const) {
      const value = q[name];
      if (value && !isIsoTime(value)) throw new BadRequestException(`${name}: must be an ISO 8601 time`);
    }
    if (q.cursor !== undefined && !/^\d{1,15}$/.test(q.cursor)) throw new BadRequestException('cursor: must be the nextCursor of a previous page');
    const body = { clipId: q.clipId, actor: q.actor, action: q.action, from: q.from, to: q.to, cursor: q.cursor };
    await this.record(actor, { action: 'audit.searched', body: mapValues(body, filterValue) });
    // Read your writes: what the caller committed a moment ago is sequenced (placed in the log) before the search.
    await this.integrator.catchUp();
    const rows = await this.events.search(this.dataSource, {
      // An empty parameter (`?actor=`) is no filter, as it always was.
      clipId: q.clipId || null,
      actor: q.actor || null,
      action: q.action || null,
      from: q.from || null,
      to: q.to || null,
      afterSeq: q.cursor === undefined ? 0 : Number(q.cursor),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit) as (AuditEvent & AuditEventDto)[];
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null };
  }

  /** Fails closed: a search or export that cannot be recorded does not happen. */
  private async record(actor: string, entry: ReadEntry): Promise<void> {
    await this.dataSource.transaction((m) => this.auditLog.append(m, { actor, subjectType: 'audit_log', subjectId: this.config.AUDIT_LOG_ORIGIN, ...entry }));
  }

  private async openLog(): Promise<MerkleLog> {
    return MerkleLog.open(new MerkleNodeRepository(this.dataSource), await this.checkpoints.latestSize(this.dataSource));
  }

  private async *eventBatches(afterSeq = 0, lastSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<(AuditEvent & AuditEventDto)[]> {
    for (let after = afterSeq; ; ) {
      const rows = (await this.events.range(this.dataSource, after, lastSeq, BATCH)) as (AuditEvent & AuditEventDto)[];
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1].seq;
    }
  }

  private async *eventBatchesFlat(afterSeq: number, lastSeq: number): AsyncGenerator<AuditEvent> {
    for await (const batch of this.eventBatches(afterSeq, lastSeq)) yield* batch;
  }
}

/**
 * A search filter as the log may hold it: ids, action names, times and cursors
 * as given; anything else (free text, which might be personal data) by its hash.
 */
const mapValues = <K extends string>(o: Record<K, string | undefined>, f: (v: string | undefined) => string | null) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as string | undefined)])) as Record<K, string | null>;

function filterValue(value: string | undefined): string | null {
  if (!value) return null;
  return /^[A-Za-z0-9:._+-]{1,200}$/.test(value) ? value : `sha256:${sha256Hex(value)}`;
}
