import { Module } from '@nestjs/common';
import { WebhookFanoutModule } from './webhook-fanout.module';
import { Webhooks } from './webhooks';
import { WebhooksController } from './webhooks.controller';

/**
 * Webhook registration (api). Outcomes reach integrations two ways: the clip
 * event stream (SSE, GET /api/v1/clips/events) and webhooks, whose
 * deliveries WebhookFanout records and WebhookDeliveryWorker (worker) sends.
 */
@Module({ imports: [WebhookFanoutModule], controllers: [WebhooksController], providers: [Webhooks] })
export class NotificationsModule {}
