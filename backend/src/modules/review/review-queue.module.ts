import { Module } from '@nestjs/common';
import { ReviewDecisionRepository } from './review-decision.repository';
import { ReviewItemRepository } from './review-item.repository';
import { ReviewQueue } from './review-queue';
import { ReviewReopeningRepository } from './review-reopening.repository';

/**
 * The review queue and the review tables, in every process that moves clips:
 * a clip reaching AWAITING_REVIEW (in a worker or the api) opens a round.
 */
@Module({
  providers: [ReviewQueue, ReviewItemRepository, ReviewDecisionRepository, ReviewReopeningRepository],
  exports: [ReviewQueue, ReviewItemRepository, ReviewDecisionRepository, ReviewReopeningRepository],
})
export class ReviewQueueModule {}
