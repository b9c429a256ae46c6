import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '@provenant/shared';
import { AuditEventRepository } from './audit-event.repository';

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
 * one, and a process dying between them would leave half an append behind.
 *
 * What may be appended is the typed catalogue in @provenant/shared
 * (AuditEntry): an unknown action or a body of the wrong shape does not
 * compile. An append takes no lock that other writers wait for: the event
 * gets an id now and its gap-free position (seq) from the AuditSequencer
 * once it has committed, within AUDIT_CHECKPOINT_INTERVAL_MS; the
 * AuditLogIntegrator then folds it into the tree and signs a checkpoint.
 */
@Injectable()
export class AuditLog {
  private readonly events = new AuditEventRepository();

  /** Returns the event's id, the pointer a fact keeps to its evidence (its seq comes after commit). */
  async append(manager: EntityManager, entry: AuditEntry): Promise<number> {
    return (await this.appendMany(manager, [entry]))[0];
  }

  async appendMany(manager: EntityManager, entries: readonly AuditEntry[]): Promise<number[]> {
    if (!manager.queryRunner?.isTransactionActive) throw new AuditOutsideTransactionError();
    if (entries.length === 0) return [];
    // Millisecond time from here rather than the database clock, so the hash covers exactly what is stored.
    const at = new Date();
    return this.events.insert(
      manager,
      at,
      entries.map((e) => ({
        actor: e.actor,
        action: e.action,
        subjectType: e.subjectType,
        subjectId: e.subjectId,
        // What jsonb will hand back on reading: undefined fields dropped, plain JSON only.
        body: JSON.parse(JSON.stringify(e.body ?? {})) as Record<string, unknown>,
      })),
    );
  }
}
