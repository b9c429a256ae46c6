import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ClipStateMachine, type ClipState, type ClipTransitionBody } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { CLIP_REACHED_CONSEQUENCES, type ClipReached, type ClipReachedConsequence, type ClipReachedSubscriber } from './clip-reached';
import { ClipRepository } from './clip.repository';
import { clipsReachedTotal } from './lifecycle-metrics';

export class StaleClipStateError extends Error {
  constructor(clipId: string, expected: ClipState) {
    super(`clip ${clipId} is no longer in state ${expected}`);
  }
}

export interface TransitionOptions {
  actor: string;
  reason?: string | null;
  /** Recorded in the transition's audit event. */
  details?: Omit<ClipTransitionBody, 'from' | 'to' | 'reason'>;
}

/**
 * The only code that changes a clip's state. It checks the move against the
 * shared state machine, updates the row only if it is still in the expected
 * state (so two workers cannot both move it), records the transition and
 * its audit event, notifies listeners, and runs what follows the move
 * (ClipReachedSubscriber), all in the caller's transaction.
 */
@Injectable()
export class ClipTransitions {
  private readonly subscribers = new Map<ClipReachedConsequence, ClipReachedSubscriber>();

  constructor(
    private readonly clips: ClipRepository,
    private readonly audit: AuditLog,
  ) {}

  subscribe(subscriber: ClipReachedSubscriber): void {
    if (this.subscribers.has(subscriber.consequence)) throw new Error(`two subscribers for ${subscriber.consequence}`);
    this.subscribers.set(subscriber.consequence, subscriber);
  }

  async transition(manager: EntityManager, clipId: string, from: ClipState, to: ClipState, options: TransitionOptions): Promise<void> {
    ClipStateMachine.assertTransition(from, to);
    const missing = CLIP_REACHED_CONSEQUENCES.filter((c) => !this.subscribers.has(c));
    if (missing.length) throw new Error(`this process cannot move clips: nothing handles ${missing.join(', ')} (a module is not imported)`);
    const reason = options.reason ?? null;
    // A clip that leaves BLOCKED (override) no longer carries the block as its current reason; the history keeps it.
    const failureReason = to === 'FAILED' || to === 'BLOCKED' ? reason : null;
    const moved = await this.clips.compareAndSetState(manager, clipId, from, to, failureReason);
    if (!moved) throw new StaleClipStateError(clipId, from);
    const at = new Date();
    const auditEventId = await this.audit.append(manager, {
      actor: options.actor,
      action: 'clip.transition',
      subjectType: 'clip',
      subjectId: clipId,
      body: { from, to, reason, ...options.details },
    });
    await this.clips.recordTransition(manager, clipId, auditEventId, { from, to, reason, at });
    await this.clips.publishEvent(manager, { clipId, createdBy: moved.createdBy, state: to, stage: null, at: at.toISOString() });
    clipsReachedTotal.inc({ state: to });
    const event: ClipReached = { clipId, from, to, actor: options.actor, createdBy: moved.createdBy, reason, auditEventId };
    for (const consequence of CLIP_REACHED_CONSEQUENCES) await this.subscribers.get(consequence)!.onClipReached(manager, event);
  }
}
