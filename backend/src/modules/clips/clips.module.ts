import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { LikenessRegistryModule } from '../likeness/likeness-registry.module';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ReviewQueueModule } from '../review/review-queue.module';
import { ClipDownloads } from './clip-downloads';
import { ClipEvents } from './clip-events';
import { ClipMedia } from './clip-media';
import { ClipIntake } from './clip-intake';
import { ClipQuery } from './clip-query';
import { ClipsController } from './clips.controller';

/** The clips API: intake (into the pipeline), reading, the event stream, watching and downloads. */
@Module({
  imports: [PipelineModule, ReviewQueueModule, AppealsModule, LikenessRegistryModule],
  controllers: [ClipsController],
  providers: [ClipIntake, ClipQuery, ClipEvents, ClipDownloads, ClipMedia],
})
export class ClipsModule {}
