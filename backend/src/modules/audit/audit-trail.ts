import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuditCheckpointDto, AuditEventDto, AuditVerificationDto, ConsistencyProofDto, InclusionProofDto, Page } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLogVerifier, CheckpointSigner, MerkleLog, writeAuditExport, type AuditEvent } from '../../engines/merkle-log';
import { APP_CONFIG } from '../core/tokens';
import { logger } from '../ops/logger';
import { AuditLog } from './audit-log';
import { insertCheckpoint, latestCheckpointSize } from './audit-log-integrator';
import { AUDIT_SIGNER } from './audit-tokens';
import { PostgresHashStore } from './postgres-hash-store';

const BATCH = 10_000;
// Microseconds, as Postgres keeps them: the verifier must see exactly what is stored.
const EVENT_COLUMNS = `seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, action,
  subject_type AS "subjectType", subject_id AS "subjectId", body`;

interface EventRow extends Omit<AuditEvent, 'seq'> {
  seq: string;
  at: string;
}

const toEvent = (r: EventRow): AuditEvent & AuditEventDto => ({ ...r, seq: Number(r.seq) });

export interface AuditSearch {
  clipId?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
}

/** Reads, proves, verifies and exports the audit log (the compliance side). */
@Injectable()
export class AuditTrail {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditLog: AuditLog,
    @Inject(AUDIT_SIGNER) private readonly signer: CheckpointSigner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get publicKeyPem(): string {
    return this.signer.publicKeyPem;
  }

  async latestCheckpoint(): Promise<AuditCheckpointDto> {
    return this.checkpointAt(await latestCheckpointSize(this.dataSource.manager));
  }

  async checkpointAt(treeSize: number): Promise<AuditCheckpointDto> {
    const rows: { tree_size: string; root_hash: Buffer; signed_note: string }[] = await this.dataSource.query(
      'SELECT tree_size, root_hash, signed_note FROM audit_checkpoints WHERE tree_size = $1',
      [treeSize],
    );
    if (!rows.length) throw new NotFoundException(`no signed checkpoint of tree size ${treeSize}`);
    return { treeSize: Number(rows[0].tree_size), rootHash: rows[0].root_hash.toString('hex'), signedNote: rows[0].signed_note };
  }

  async inclusionProof(seq: number, treeSize?: number): Promise<InclusionProofDto> {
    const checkpoint = treeSize === undefined ? await this.latestCheckpoint() : await this.checkpointAt(treeSize);
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > checkpoint.treeSize) {
      throw new NotFoundException(`event ${seq} is not in the tree of size ${checkpoint.treeSize} (it may not be integrated yet)`);
    }
    const log = await this.openLog(this.dataSource.manager);
    const [leafHash] = await log.leafHashes(seq - 1, seq);
    const path = await log.inclusionProof(seq - 1, checkpoint.treeSize);
    return { seq, leafIndex: seq - 1, treeSize: checkpoint.treeSize, leafHash: leafHash.toString('hex'), path: path.map((h) => h.toString('hex')), checkpoint };
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<ConsistencyProofDto> {
    if (!(fromSize <= toSize)) throw new BadRequestException('from: must not be larger than to');
    const [from, to] = [await this.checkpointAt(fromSize), await this.checkpointAt(toSize)];
    const log = await this.openLog(this.dataSource.manager);
    const path = await log.consistencyProof(fromSize, toSize);
    return { fromSize, toSize, path: path.map((h) => h.toString('hex')), from, to };
  }

  /** Recomputes every leaf, node and checkpoint signature; records that a verification happened. */
  async verify(actor: string): Promise<AuditVerificationDto> {
    const notes: { signed_note: string }[] = await this.dataSource.query('SELECT signed_note FROM audit_checkpoints ORDER BY tree_size');
    const verifier = new AuditLogVerifier({ origin: this.config.AUDIT_LOG_ORIGIN, publicKeyPem: this.signer.publicKeyPem, checkpoints: notes.map((n) => n.signed_note) });
    for await (const batch of this.eventBatches()) verifier.addEvents(batch);
    for (let after = -1; ; ) {
      const rows: { idx: string; hash: Buffer }[] = await this.dataSource.query(
        'SELECT idx, hash FROM audit_merkle_nodes WHERE level = 0 AND idx > $1 ORDER BY idx LIMIT $2',
        [after, BATCH],
      );
      if (!rows.length) break;
      verifier.addRecordedLeafHashes(rows.map((r) => r.hash));
      after = Number(rows[rows.length - 1].idx);
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
  async *exportLines(fromSeq: number, toSeq?: number): AsyncGenerator<string> {
    const signed = await latestCheckpointSize(this.dataSource.manager);
    const last = toSeq ?? signed;
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1 || !Number.isSafeInteger(last) || last < fromSeq) {
      throw new BadRequestException(`range ${fromSeq}..${last}: must satisfy 1 <= from <= to`);
    }
    if (last > signed) throw new BadRequestException(`to: ${last} is beyond the signed tree size ${signed}; try again in a moment`);
    const log = await this.openLog(this.dataSource.manager);
    await insertCheckpoint(this.dataSource.manager, this.signer, this.config.AUDIT_LOG_ORIGIN, last, await log.rootAt(last));
    const notes: { signed_note: string }[] = await this.dataSource.query('SELECT signed_note FROM audit_checkpoints WHERE tree_size <= $1 ORDER BY tree_size', [signed]);
    yield* writeAuditExport(log, {
      origin: this.config.AUDIT_LOG_ORIGIN,
      publicKeyPem: this.signer.publicKeyPem,
      checkpoints: notes.map((n) => n.signed_note),
      firstSeq: fromSeq,
      lastSeq: last,
      events: this.eventBatchesFlat(fromSeq - 1, last),
    });
  }

  async search(q: AuditSearch): Promise<Page<AuditEventDto>> {
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadRequestException('limit: must be an integer from 1 to 1000');
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => (params.push(value), where.push(sql.replace('?', `$${params.length}`)));
    if (q.clipId) add(`subject_type = 'clip' AND subject_id = ?`, q.clipId);
    if (q.actor) add('actor = ?', q.actor);
    if (q.action) add('action = ?', q.action);
    for (const [name, op] of [['from', '>='], ['to', '<']] as const) {
      const value = q[name];
      if (value === undefined) continue;
      if (Number.isNaN(Date.parse(value))) throw new BadRequestException(`${name}: must be an ISO 8601 time`);
      add(`at ${op} ?::timestamptz`, value);
    }
    if (q.cursor !== undefined) {
      if (!/^\d{1,15}$/.test(q.cursor)) throw new BadRequestException('cursor: must be the nextCursor of a previous page');
      add('seq > ?', Number(q.cursor));
    }
    params.push(limit + 1);
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toEvent);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null };
  }

  private async openLog(m: EntityManager): Promise<MerkleLog> {
    return MerkleLog.open(new PostgresHashStore(m), await latestCheckpointSize(m));
  }

  private async *eventBatches(afterSeq = Number.MIN_SAFE_INTEGER, lastSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<(AuditEvent & AuditEventDto)[]> {
    for (let after = afterSeq; ; ) {
      const rows: EventRow[] = await this.dataSource.query(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, [
        after,
        lastSeq,
        BATCH,
      ]);
      if (!rows.length) return;
      yield rows.map(toEvent);
      after = Number(rows[rows.length - 1].seq);
    }
  }

  private async *eventBatchesFlat(afterSeq: number, lastSeq: number): AsyncGenerator<AuditEvent> {
    for await (const batch of this.eventBatches(afterSeq, lastSeq)) yield* batch;
  }
}
