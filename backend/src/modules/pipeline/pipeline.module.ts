import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { FfmpegBinaries } from '../../engines/media/ffmpeg-binaries';
import { MediaProber } from '../../engines/media/media-prober';
import { ModerationEngine } from '../../engines/moderation/moderation-engine';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { AnalysedFrames } from '../moderation/analysis-frames';
import { ModerationModule } from '../moderation/moderation.module';
import { ModerationPolicies } from '../moderation/moderation-policies';
import { WebhookFanout } from '../notifications/webhook-fanout';
import { ProvenanceModule } from '../provenance/provenance.module';
import { ProvenanceStages } from '../provenance/provenance-stages';
import { ReviewQueue } from '../review/review-queue';
import { createGenerationProvider } from './generation-provider.factory';
import { mediaLimitsFrom } from './media-limits.config';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { ClipModerationStage } from './stages/clip-moderation.stage';
import { GenerateStage } from './stages/generate.stage';
import { MediaAnalysisStage } from './stages/media-analysis.stage';
import { PromptModerationStage } from './stages/prompt-moderation.stage';

/**
 * The plan (which stages exist, in which order) and the orchestrator, used by
 * both processes, with what the orchestrator opens at the stops: review
 * rounds (ReviewQueue) and outcome notifications (WebhookFanout).
 */
@Module({
  imports: [ModerationModule, ProvenanceModule],
  providers: [
    ClipTransitions,
    PipelineOrchestrator,
    ReviewQueue,
    WebhookFanout,
    {
      provide: MediaProber,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries) => new MediaProber(bins, { timeoutMs: cfg.FFMPEG_TIMEOUT_MS }),
      inject: [APP_CONFIG, FFMPEG_BINARIES],
    },
    {
      provide: PipelinePlan,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries, prober: MediaProber, moderation: ModerationEngine, policies: ModerationPolicies, frames: AnalysedFrames, provenance: ProvenanceStages) =>
        new PipelinePlan([
          new PromptModerationStage(moderation, policies),
          new GenerateStage(createGenerationProvider(cfg, bins), prober, mediaLimitsFrom(cfg)),
          new MediaAnalysisStage(bins, cfg.FFMPEG_TIMEOUT_MS),
          // After media_analysis in the same phase: it moderates the frames that stage stored.
          new ClipModerationStage(moderation, policies, frames),
          provenance.watermark,
          provenance.signing,
        ]),
      inject: [APP_CONFIG, FFMPEG_BINARIES, MediaProber, ModerationEngine, ModerationPolicies, AnalysedFrames, ProvenanceStages],
    },
  ],
  exports: [PipelinePlan, PipelineOrchestrator, ClipTransitions, MediaProber, ReviewQueue, WebhookFanout],
})
export class PipelineModule {}
