import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ModerationEvidence } from './moderation-evidence';
import { ModerationController } from './moderation.controller';
import { ModerationModule } from './moderation.module';

/** The moderation API: the policy (read, replace) and evidence thumbnails. */
@Module({ imports: [ModerationModule, PipelineModule], controllers: [ModerationController], providers: [ModerationEvidence] })
export class ModerationApiModule {}
