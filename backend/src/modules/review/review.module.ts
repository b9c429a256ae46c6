import { Module } from '@nestjs/common';
import { ReviewClaims } from './review-claims';
import { ReviewDecisions } from './review-decisions';
import { ReviewQueueModule } from './review-queue.module';
import { ReviewReopening } from './review-reopening';
import { ReviewController } from './review.controller';

/** The review API: claims, decisions, overrides and reopenings. Rounds open through the lifecycle (ReviewQueueModule). */
@Module({
  imports: [ReviewQueueModule],
  controllers: [ReviewController],
  providers: [ReviewClaims, ReviewDecisions, ReviewReopening],
})
export class ReviewModule {}
