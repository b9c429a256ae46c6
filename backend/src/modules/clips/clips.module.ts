import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ClipDownloads } from './clip-downloads';
import { ClipEvents } from './clip-events';
import { ClipIntake } from './clip-intake';
import { ClipQuery } from './clip-query';
import { ClipsController } from './clips.controller';

@Module({
  imports: [PipelineModule],
  controllers: [ClipsController],
  providers: [ClipIntake, ClipQuery, ClipEvents, ClipDownloads],
})
export class ClipsModule {}
