import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ReviewQueueModule } from '../review/review-queue.module';
import { PromptAppealRepository } from './prompt-appeal.repository';
import { PromptAppeals } from './prompt-appeals';
import { PromptAppealsController } from './prompt-appeals.controller';

/** Appeals of prompt blocks: filed by the creator, decided by a senior reviewer; a grant resumes the pipeline through the lifecycle. */
@Module({
  imports: [PipelineModule, ReviewQueueModule],
  controllers: [PromptAppealsController],
  providers: [PromptAppeals, PromptAppealRepository],
  exports: [PromptAppealRepository],
})
export class AppealsModule {}
