import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { updatedRows } from '../../database/updated-rows';
import { auditEventLeafHash } from '../../engines/merkle-log';

export interface AuditEventInput {
  /** `user:<id>`, `apikey:<id>`, `system` or `worker`; never a name or e-mail. */
  actor: string;
  /** Dotted verb, e.g. `clip.transition`, `auth.login_failed`. */
  action: string;
  subjectType: string;
  subjectId: string;
  /** References and hashes only: personal data stays in erasable tables. */
  body: Record<string, unknown>;
}

/**
 * Appends to the tamper-evident audit log inside the caller's transaction, so
 * an event is recorded if and only if the change it describes is committed.
 *
 * The sequence number comes from the audit_log_head row, whose lock is held
 * until commit: concurrent writers in any process get one total order with
 * no gaps (a rolled-back append rolls the counter back too). The event's
 * Merkle leaf hash is stored with it; AuditLogIntegrator folds leaves into
 * the tree and signs checkpoints.
 */
@Injectable()
export class AuditLog {
  async append(manager: EntityManager, event: AuditEventInput): Promise<string> {
    return (await this.appendMany(manager, [event]))[0];
  }

  async appendMany(manager: EntityManager, events: readonly AuditEventInput[]): Promise<string[]> {
    if (events.length === 0) return [];
    // Millisecond time from here rather than the database clock, so the hash covers exactly what is stored.
    const at = new Date();
    // What jsonb will hand back on reading: undefined fields dropped, plain JSON only.
    const bodies = events.map((e) => JSON.parse(JSON.stringify(e.body ?? {})) as Record<string, unknown>);
    const [{ size }] = await updatedRows<{ size: string }>(manager, 'UPDATE audit_log_head SET size = size + $1 RETURNING size', [events.length]);
    const first = Number(size) - events.length + 1;
    const seqs = events.map((_, i) => first + i);
    const leaves = events.map((e, i) => auditEventLeafHash({ ...e, seq: seqs[i], at, body: bodies[i] }));
    await manager.query(
      `INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, body)
       SELECT s, $2, a, act, st, sid, b::jsonb FROM unnest($1::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(s, a, act, st, sid, b)`,
      [seqs, at, events.map((e) => e.actor), events.map((e) => e.action), events.map((e) => e.subjectType), events.map((e) => e.subjectId), bodies.map((b) => JSON.stringify(b))],
    );
    await manager.query(`INSERT INTO audit_merkle_nodes (level, idx, hash) SELECT 0, i, h FROM unnest($1::bigint[], $2::bytea[]) AS t(i, h)`, [
      seqs.map((s) => s - 1),
      leaves,
    ]);
    return seqs.map(String);
  }
}
