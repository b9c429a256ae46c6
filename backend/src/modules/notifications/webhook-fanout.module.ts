import { Module } from '@nestjs/common';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewQueueModule } from '../review/review-queue.module';
import { WebhookFanout } from './webhook-fanout';
import { WebhookRepository } from './webhook.repository';

/** Webhook deliveries for clip outcomes, in every process that moves clips (it subscribes to the lifecycle). */
@Module({
  imports: [ReviewQueueModule],
  providers: [WebhookFanout, WebhookRepository, StageResultRepository],
  exports: [WebhookFanout, WebhookRepository],
})
export class WebhookFanoutModule {}
