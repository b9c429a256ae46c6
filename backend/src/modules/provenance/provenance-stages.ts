import type { AppConfig } from '../../config/app-config';
import type { FfmpegBinaries } from '../../engines/media/ffmpeg-binaries';
import { MediaProber } from '../../engines/media/media-prober';
import { WatermarkDetector, WatermarkEmbedder, type WatermarkKey } from '../../engines/watermark';
import { C2paSigningStage } from '../pipeline/stages/c2pa-signing.stage';
import { WatermarkStage } from '../pipeline/stages/watermark.stage';
import type { C2paRuntime } from './c2pa-runtime';
import type { ManifestStore } from './manifest-store';
import type { ReleaseEvidence } from './release-evidence';
import type { WatermarkPayloads } from './watermark-payloads';

/** The two provenance stages of the pipeline plan: the watermark render before review, C2PA signing at release. */
export class ProvenanceStages {
  readonly watermark: WatermarkStage;
  readonly signing: C2paSigningStage;

  constructor(
    cfg: AppConfig,
    bins: FfmpegBinaries,
    key: WatermarkKey,
    payloads: WatermarkPayloads,
    runtime: C2paRuntime,
    evidence: ReleaseEvidence,
    manifests: ManifestStore,
  ) {
    const prober = new MediaProber(bins, { timeoutMs: cfg.FFMPEG_TIMEOUT_MS });
    const timeouts = { timeoutMs: cfg.WATERMARK_TIMEOUT_MS };
    this.watermark = new WatermarkStage(new WatermarkEmbedder(bins, timeouts), new WatermarkDetector(bins, timeouts), key, payloads, prober, {
      enabled: cfg.WATERMARK_VISIBLE === 'on',
      platform: cfg.WATERMARK_LABEL_PLATFORM,
      opacity: cfg.WATERMARK_LABEL_OPACITY,
      sizeRatio: cfg.WATERMARK_LABEL_SIZE,
      cornerSeconds: cfg.WATERMARK_LABEL_CORNER_SECONDS,
    });
    this.signing = new C2paSigningStage(runtime.signer, evidence, manifests, prober, cfg.C2PA_MAX_SIGN_BYTES);
  }
}
