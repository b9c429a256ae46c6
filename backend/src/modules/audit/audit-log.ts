import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '@provenant/shared';
import { auditEventLeafHash } from '../../engines/merkle-log';
import { AuditEventRepository } from './audit-event.repository';
import { MerkleNodeRepository } from './merkle-node.repository';

export class AuditOutsideTransactionError extends Error {
  constructor() {
    super('an audit event must be appended inside the transaction of the change it records (use dataSource.transaction)');
    this.name = 'AuditOutsideTransactionError';
  }
}

/**
 * Appends to the tamper-evident audit log inside the caller's transaction, so
 * an event is recorded if and only if the change it describes is committed.
 * An append outside a transaction throws: its statements would commit one by
 * one, and a process dying between them would leave the head counter ahead
 * of the leaves.
 *
 * What may be appended is the typed catalogue in @provenant/shared
 * (AuditEntry): an unknown action or a body of the wrong shape does not
 * compile. The sequence number comes from the audit_log_head row, whose lock
 * is held until commit: concurrent writers in any process get one total
 * order with no gaps (a rolled-back append rolls the counter back too). The
 * event's Merkle leaf hash is stored with it; AuditLogIntegrator folds
 * leaves into the tree and signs checkpoints.
 */
@Injectable()
export class AuditLog {
  private readonly events = new AuditEventRepository();

  /** Returns the event's sequence number, the pointer a fact keeps to its evidence. */
  async append(manager: EntityManager, entry: AuditEntry): Promise<number> {
    return (await this.appendMany(manager, [entry]))[0];
  }

  async appendMany(manager: EntityManager, entries: readonly AuditEntry[]): Promise<number[]> {
    if (!manager.queryRunner?.isTransactionActive) throw new AuditOutsideTransactionError();
    if (entries.length === 0) return [];
    // Millisecond time from here rather than the database clock, so the hash covers exactly what is stored.
    const at = new Date();
    const first = await this.events.advanceHead(manager, entries.length);
    const events = entries.map((e, i) => ({
      seq: first + i,
      actor: e.actor,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      // What jsonb will hand back on reading: undefined fields dropped, plain JSON only.
      body: JSON.parse(JSON.stringify(e.body ?? {})) as Record<string, unknown>,
    }));
    await this.events.insert(manager, at, events);
    await new MerkleNodeRepository(manager).insertLeaves(
      events.map((e) => e.seq),
      events.map((e) => auditEventLeafHash({ ...e, at })),
    );
    return events.map((e) => e.seq);
  }
}
