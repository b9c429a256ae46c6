import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ReviewClaims } from './review-claims';
import { ReviewDecisions } from './review-decisions';
import { ReviewReopening } from './review-reopening';
import { ReviewController } from './review.controller';

/** The review API. The queue itself (ReviewQueue) comes from PipelineModule, which opens review rounds. */
@Module({
  imports: [PipelineModule],
  controllers: [ReviewController],
  providers: [ReviewClaims, ReviewDecisions, ReviewReopening],
})
export class ReviewModule {}
