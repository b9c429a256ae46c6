import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClipStateMachine, type ClipState, type StageName } from '@provenant/shared';
import { updatedRows } from '../../database/updated-rows';
import { AuditLog } from '../audit/audit-log';

export const CLIP_EVENTS_CHANNEL = 'clip_events';

export class StaleClipStateError extends Error {
  constructor(clipId: string, expected: ClipState) {
    super(`clip ${clipId} is no longer in state ${expected}`);
  }
}

export interface TransitionOptions {
  actor: string;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The only code that changes a clip's state. It checks the move against the
 * shared state machine, updates the row only if it is still in the expected
 * state (so two workers cannot both move it), writes the audit event and
 * notifies listeners, all in the caller's transaction.
 */
@Injectable()
export class ClipTransitions {
  constructor(private readonly audit: AuditLog) {}

  async transition(manager: EntityManager, clipId: string, from: ClipState, to: ClipState, options: TransitionOptions): Promise<void> {
    ClipStateMachine.assertTransition(from, to);
    // A clip that leaves BLOCKED (override) no longer carries the block as its current reason; the history keeps it.
    const failureReason = to === 'FAILED' || to === 'BLOCKED' ? (options.reason ?? null) : null;
    const rows = await updatedRows<{ created_by: string }>(
      manager,
      `UPDATE clips SET state = $3, updated_at = now(),
              failure_reason = CASE WHEN $3 IN ('FAILED', 'BLOCKED') THEN $4 ELSE NULL END
        WHERE id = $1 AND state = $2 RETURNING created_by`,
      [clipId, from, to, failureReason],
    );
    if (rows.length === 0) throw new StaleClipStateError(clipId, from);
    await this.audit.append(manager, {
      actor: options.actor,
      action: 'clip.transition',
      subjectType: 'clip',
      subjectId: clipId,
      body: { from, to, reason: options.reason ?? null, ...options.details },
    });
    await notifyClipEvent(manager, clipId, rows[0].created_by, to, null);
  }
}

/** Postgres NOTIFY is transactional: listeners hear it only if the change commits. */
export async function notifyClipEvent(manager: EntityManager, clipId: string, createdBy: string, state: ClipState, stage: StageName | null): Promise<void> {
  const payload = JSON.stringify({ clipId, createdBy, state, stage, at: new Date().toISOString() });
  await manager.query('SELECT pg_notify($1, $2)', [CLIP_EVENTS_CHANNEL, payload]);
}
