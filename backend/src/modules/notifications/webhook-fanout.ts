import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { WEBHOOK_EVENT_BY_STATE, type WebhookPayload } from '@provenant/shared';
import type { ClipReached, ClipReachedSubscriber } from '../lifecycle/clip-reached';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { Outbox } from '../outbox/outbox';
import { readRelease } from '../pipeline/release-record';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { WebhookRepository } from './webhook.repository';

export const WEBHOOK_QUEUE = 'webhook-delivery';
export const webhookJobId = (deliveryId: string): string => `webhook-${deliveryId}`;

/**
 * When a clip reaches an outcome (approved, rejected, released, blocked,
 * failed), records one delivery per matching webhook and hands it to the
 * delivery queue through the outbox, in the transaction that made the change:
 * a committed outcome is always notified, a rolled-back one never.
 */
@Injectable()
export class WebhookFanout implements ClipReachedSubscriber, OnModuleInit {
  readonly consequence = 'webhook_fanout' as const;

  constructor(
    private readonly transitions: ClipTransitions,
    private readonly outbox: Outbox,
    private readonly webhooks: WebhookRepository,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly decisions: ReviewDecisionRepository,
  ) {}

  onModuleInit(): void {
    this.transitions.subscribe(this);
  }

  async onClipReached(manager: EntityManager, { clipId, to: state, reason }: ClipReached): Promise<void> {
    const event = WEBHOOK_EVENT_BY_STATE[state];
    if (!event) return;
    const hooks = await this.webhooks.listeningTo(manager, clipId, event);
    if (hooks.length === 0) return;

    const decided = state === 'APPROVED' || state === 'REJECTED';
    const reasonCode = decided ? await this.decisions.latestReasonCode(manager, clipId, state === 'APPROVED' ? 'approve' : 'reject') : null;
    const release = state === 'RELEASED' ? await readRelease(manager, { clips: this.clips, stageResults: this.stageResults }, clipId) : null;
    const occurredAt = new Date().toISOString();

    for (const webhookId of hooks) {
      const id = randomUUID();
      const payload: WebhookPayload = {
        id,
        event,
        clipId,
        state,
        occurredAt,
        reasonCode,
        failureReason: state === 'BLOCKED' || state === 'FAILED' ? reason : null,
        release,
      };
      await this.webhooks.insertDelivery(manager, { id, webhookId, clipId, event, body: JSON.stringify(payload) });
      await this.outbox.enqueue(manager, WEBHOOK_QUEUE, webhookJobId(id), { deliveryId: id });
    }
  }
}
