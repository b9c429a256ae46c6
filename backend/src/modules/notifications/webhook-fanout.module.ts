import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { EgressPolicy } from '../../engines/egress';
import { APP_CONFIG } from '../core/tokens';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewQueueModule } from '../review/review-queue.module';
import { WEBHOOK_EGRESS, WEBHOOK_SECRET_BOX } from './notifications-tokens';
import { WebhookFanout } from './webhook-fanout';
import { loadWebhookSecretBox } from './webhook-secret-key-source';
import { WebhookSecretSealing } from './webhook-secret-sealing';
import { WebhookRepository } from './webhook.repository';

/**
 * Webhook deliveries for clip outcomes, in every process that moves clips (it
 * subscribes to the lifecycle), and what registering and delivering both
 * need: the egress policy and the box that seals secrets at rest.
 */
@Module({
  imports: [ReviewQueueModule],
  providers: [
    WebhookFanout,
    WebhookRepository,
    StageResultRepository,
    WebhookSecretSealing,
    { provide: WEBHOOK_EGRESS, useFactory: (cfg: AppConfig) => new EgressPolicy({ allowed: cfg.WEBHOOK_ALLOWED_NETWORKS, resolveTimeoutMs: cfg.WEBHOOK_TIMEOUT_MS }), inject: [APP_CONFIG] },
    { provide: WEBHOOK_SECRET_BOX, useFactory: (cfg: AppConfig) => loadWebhookSecretBox(cfg), inject: [APP_CONFIG] },
  ],
  exports: [WebhookFanout, WebhookRepository, WEBHOOK_EGRESS, WEBHOOK_SECRET_BOX],
})
export class WebhookFanoutModule {}
