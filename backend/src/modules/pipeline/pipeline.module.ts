import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { FfmpegBinaries } from '../../engines/media/ffmpeg-binaries';
import { MediaProber } from '../../engines/media/media-prober';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { createGenerationProvider } from './generation-provider.factory';
import { mediaLimitsFrom } from './media-limits.config';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { GenerateStage } from './stages/generate.stage';
import { MediaAnalysisStage } from './stages/media-analysis.stage';

/** The plan (which stages exist, in which order) and the orchestrator, used by both processes. */
@Module({
  providers: [
    ClipTransitions,
    PipelineOrchestrator,
    {
      provide: MediaProber,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries) => new MediaProber(bins, { timeoutMs: cfg.FFMPEG_TIMEOUT_MS }),
      inject: [APP_CONFIG, FFMPEG_BINARIES],
    },
    {
      provide: PipelinePlan,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries, prober: MediaProber) =>
        new PipelinePlan([
          new GenerateStage(createGenerationProvider(cfg, bins), prober, mediaLimitsFrom(cfg)),
          new MediaAnalysisStage(bins, cfg.FFMPEG_TIMEOUT_MS),
        ]),
      inject: [APP_CONFIG, FFMPEG_BINARIES, MediaProber],
    },
  ],
  exports: [PipelinePlan, PipelineOrchestrator, ClipTransitions, MediaProber],
})
export class PipelineModule {}
