import { Module } from '@nestjs/common';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ModerationEvidence } from './moderation-evidence';
import { ModerationController } from './moderation.controller';
import { ModerationModule } from './moderation.module';

/** The moderation API: the policy (read, replace) and evidence thumbnails. */
@Module({ imports: [ModerationModule], controllers: [ModerationController], providers: [ModerationEvidence, StageResultRepository] })
export class ModerationApiModule {}
