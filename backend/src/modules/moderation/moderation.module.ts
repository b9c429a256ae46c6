import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { FfmpegBinaries } from '../../engines/media';
import { createModerationEngine, ModerationEngine } from '../../engines/moderation';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { AnalysedFrames } from './analysis-frames';
import { ModerationPolicies } from './moderation-policies';
import { ModerationPolicyRepository } from './moderation-policy.repository';
import { StageResultRepository } from '../pipeline/stage-result.repository';

/**
 * What the moderation stages need, in both processes: the engine for the
 * configured provider (its image and OCR workers start on first use or when
 * the worker process warms them up at start, ModerationWarmUp in
 * worker.module.ts; the api process, which never moderates, starts none),
 * the policy versions, and the frames media analysis stored.
 */
@Module({
  providers: [
    ModerationPolicies,
    ModerationPolicyRepository,
    AnalysedFrames,
    StageResultRepository,
    {
      provide: ModerationEngine,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries) => createModerationEngine(cfg.moderation, bins, { mediaTimeoutMs: cfg.FFMPEG_TIMEOUT_MS }),
      inject: [APP_CONFIG, FFMPEG_BINARIES],
    },
  ],
  exports: [ModerationPolicies, AnalysedFrames, ModerationEngine],
})
export class ModerationModule {}
