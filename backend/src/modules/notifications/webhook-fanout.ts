import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { WEBHOOK_EVENT_BY_STATE, type ClipState, type WebhookPayload } from '@provenant/shared';
import { Outbox } from '../outbox/outbox';
import { PipelinePlan } from '../pipeline/pipeline-plan';
import { readRelease } from '../pipeline/release-record';

export const WEBHOOK_QUEUE = 'webhook-delivery';
export const webhookJobId = (deliveryId: string): string => `webhook-${deliveryId}`;

/**
 * When a clip reaches an outcome (approved, rejected, released, blocked,
 * failed), records one delivery per matching webhook and hands it to the
 * delivery queue through the outbox, in the transaction that made the change:
 * a committed outcome is always notified, a rolled-back one never.
 */
@Injectable()
export class WebhookFanout {
  constructor(
    private readonly outbox: Outbox,
    private readonly plan: PipelinePlan,
  ) {}

  async clipReached(manager: EntityManager, clipId: string, state: ClipState): Promise<void> {
    const event = WEBHOOK_EVENT_BY_STATE[state];
    if (!event) return;
    // A user's webhook hears all their clips; a key's webhook only the clips submitted with that (unrevoked) key.
    const hooks: { id: string }[] = await manager.query(
      `SELECT w.id FROM webhooks w JOIN clips c ON c.id = $1
        WHERE w.disabled_at IS NULL AND $2 = ANY (w.events)
          AND ((w.api_key_id IS NULL AND w.user_id = c.created_by)
               OR (w.api_key_id = c.api_key_id AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = w.api_key_id AND k.revoked_at IS NULL)))`,
      [clipId, event],
    );
    if (hooks.length === 0) return;

    const [clip]: { failure_reason: string | null }[] = await manager.query('SELECT failure_reason FROM clips WHERE id = $1', [clipId]);
    const decided = state === 'APPROVED' || state === 'REJECTED';
    const [decision]: { reason_code: string }[] = decided
      ? await manager.query(
          `SELECT reason_code FROM review_decisions WHERE clip_id = $1 AND decision = $2 ORDER BY decided_at DESC, round DESC LIMIT 1`,
          [clipId, state === 'APPROVED' ? 'approve' : 'reject'],
        )
      : [];
    const release = state === 'RELEASED' ? await readRelease(manager, this.plan, clipId) : null;
    const occurredAt = new Date().toISOString();

    for (const hook of hooks) {
      const id = randomUUID();
      const payload: WebhookPayload = {
        id,
        event,
        clipId,
        state,
        occurredAt,
        reasonCode: decision?.reason_code ?? null,
        failureReason: state === 'BLOCKED' || state === 'FAILED' ? clip.failure_reason : null,
        release,
      };
      await manager.query(`INSERT INTO webhook_deliveries (id, webhook_id, clip_id, event, body) VALUES ($1, $2, $3, $4, $5)`, [id, hook.id, clipId, event, JSON.stringify(payload)]);
      await this.outbox.enqueue(manager, WEBHOOK_QUEUE, webhookJobId(id), { deliveryId: id });
    }
  }
}
