import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { type FfmpegBinaries, MediaProber } from '../../engines/media';
import { ModerationEngine } from '../../engines/moderation';
import { WatermarkDetector, WatermarkEmbedder, type WatermarkKey } from '../../engines/watermark';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { AnalysedFrames } from '../moderation/analysis-frames';
import { ModerationModule } from '../moderation/moderation.module';
import { ModerationPolicies } from '../moderation/moderation-policies';
import { C2paRuntime } from '../provenance/c2pa-runtime';
import { FileProvenanceReader } from '../provenance/file-provenance';
import { ManifestStore } from '../provenance/manifest-store';
import { ProvenanceModule } from '../provenance/provenance.module';
import { WATERMARK_KEY } from '../provenance/provenance-tokens';
import { ReleaseEvidence } from '../provenance/release-evidence';
import { WatermarkPayloads } from '../provenance/watermark-payloads';
import { ClipRepository } from '../lifecycle/clip.repository';
import { LikenessRegistryModule } from '../likeness/likeness-registry.module';
import { LikenessRegistrySnapshot } from '../likeness/likeness-registry-snapshot';
import { FaceAnalysis } from '../likeness/face-analysis';
import { ReviewQueueModule } from '../review/review-queue.module';
import { WebhookFanoutModule } from '../notifications/webhook-fanout.module';
import { createGenerationProvider } from './generation-provider.factory';
import { mediaLimitsFrom } from './media-limits.config';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { GrantedPromptBlocks } from './granted-prompt-blocks';
import { PriorProvenanceFindings } from './prior-provenance-findings';
import { StageResultRepository } from './stage-result.repository';
import { ClipModerationStage } from './stages/clip-moderation.stage';
import { PromptLikenessStage } from './stages/prompt-likeness.stage';
import { ClipLikenessStage } from './stages/clip-likeness.stage';
import { GenerateStage } from './stages/generate.stage';
import { MediaAnalysisStage } from './stages/media-analysis.stage';
import { PriorProvenanceStage } from './stages/prior-provenance.stage';
import { PromptModerationStage } from './stages/prompt-moderation.stage';
import { SigningStage } from './stages/signing.stage';
import { WatermarkStage } from './stages/watermark.stage';

/**
 * The pipeline: its stages (built here from the engines and the modules that
 * serve them), the plan that orders them and the orchestrator that moves
 * clips between them. It imports the lifecycle's other consequences (review
 * rounds, webhook fan-out), so any process that runs the pipeline has them all.
 */
@Module({
  imports: [ModerationModule, LikenessRegistryModule, ProvenanceModule, ReviewQueueModule, WebhookFanoutModule],
  providers: [
    PipelineOrchestrator,
    StageResultRepository,
    PriorProvenanceFindings,
    GrantedPromptBlocks,
    {
      provide: MediaProber,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries) => new MediaProber(bins, { timeoutMs: cfg.FFMPEG_TIMEOUT_MS }),
      inject: [APP_CONFIG, FFMPEG_BINARIES],
    },
    {
      provide: PipelinePlan,
      useFactory: (
        cfg: AppConfig,
        bins: FfmpegBinaries,
        prober: MediaProber,
        moderation: ModerationEngine,
        policies: ModerationPolicies,
        frames: AnalysedFrames,
        key: WatermarkKey,
        payloads: WatermarkPayloads,
        c2pa: C2paRuntime,
        evidence: ReleaseEvidence,
        manifests: ManifestStore,
        origins: FileProvenanceReader,
        priorMarks: PriorProvenanceFindings,
        grantedBlocks: GrantedPromptBlocks,
        likenessRegistry: LikenessRegistrySnapshot,
        faceAnalysis: FaceAnalysis,
        clips: ClipRepository,
        dataSource: DataSource,
      ) => {
        const watermarkTimeouts = { timeoutMs: cfg.WATERMARK_TIMEOUT_MS };
        const detector = new WatermarkDetector(bins, watermarkTimeouts);
        return new PipelinePlan([
          new PromptModerationStage(moderation, policies),
          new PromptLikenessStage(likenessRegistry, faceAnalysis),
          new GenerateStage(createGenerationProvider(cfg, bins), prober, mediaLimitsFrom(cfg)),
          new MediaAnalysisStage(bins, cfg.FFMPEG_TIMEOUT_MS, detector),
          new PriorProvenanceStage(origins, { ownerAndState: (clipId) => clips.findById(dataSource, clipId) }, frames),
          // After media_analysis in the same phase: it moderates the frames that stage stored.
          new ClipModerationStage(moderation, policies, frames, grantedBlocks),
          new ClipLikenessStage(likenessRegistry, faceAnalysis, frames),
          new WatermarkStage(new WatermarkEmbedder(bins, { ...watermarkTimeouts, encoding: { preset: cfg.WATERMARK_PRESET, crf: cfg.WATERMARK_CRF }, markingThreads: cfg.WATERMARK_THREADS }), detector, key, payloads, priorMarks, prober, {
            enabled: cfg.WATERMARK_VISIBLE === 'on',
            platform: cfg.WATERMARK_LABEL_PLATFORM,
            opacity: cfg.WATERMARK_LABEL_OPACITY,
            sizeRatio: cfg.WATERMARK_LABEL_SIZE,
            cornerSeconds: cfg.WATERMARK_LABEL_CORNER_SECONDS,
          }),
          new SigningStage(c2pa.signer, evidence, manifests, prober, cfg.C2PA_MAX_SIGN_BYTES),
        ]);
      },
      inject: [APP_CONFIG, FFMPEG_BINARIES, MediaProber, ModerationEngine, ModerationPolicies, AnalysedFrames, WATERMARK_KEY, WatermarkPayloads, C2paRuntime, ReleaseEvidence, ManifestStore, FileProvenanceReader, PriorProvenanceFindings, GrantedPromptBlocks, LikenessRegistrySnapshot, FaceAnalysis, ClipRepository, DataSource],
    },
  ],
  exports: [PipelinePlan, PipelineOrchestrator, StageResultRepository, MediaProber],
})
export class PipelineModule {}
