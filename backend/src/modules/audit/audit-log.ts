import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEventEntity } from '../../database/entities';

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
 * Appends to the audit log inside the caller's transaction, so an event is
 * recorded if and only if the change it describes is committed.
 */
@Injectable()
export class AuditLog {
  async append(manager: EntityManager, event: AuditEventInput): Promise<string> {
    const result = await manager.insert(AuditEventEntity, event as QueryDeepPartialEntity<AuditEventEntity>);
    return String(result.identifiers[0].seq);
  }
}
