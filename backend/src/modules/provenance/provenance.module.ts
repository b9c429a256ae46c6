import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import type { FfmpegBinaries } from '../../engines/media/ffmpeg-binaries';
import type { WatermarkKey } from '../../engines/watermark';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { loadC2paCredentials } from './c2pa-credentials';
import { C2paRuntime } from './c2pa-runtime';
import { ManifestStore } from './manifest-store';
import { ProvenanceStages } from './provenance-stages';
import { C2PA_CREDENTIALS, WATERMARK_KEY } from './provenance-tokens';
import { ReleaseEvidence } from './release-evidence';
import { loadWatermarkKey } from './watermark-key-source';
import { WatermarkPayloads } from './watermark-payloads';

/**
 * Keys and credentials (watermark key, C2PA signer and trust anchors; the
 * development ones are generated on first start), the payload registry, the
 * manifest store, and the pipeline's watermark and signing stages.
 */
@Module({
  providers: [
    { provide: WATERMARK_KEY, useFactory: (cfg: AppConfig) => loadWatermarkKey(cfg), inject: [APP_CONFIG] },
    { provide: C2PA_CREDENTIALS, useFactory: (cfg: AppConfig) => loadC2paCredentials(cfg), inject: [APP_CONFIG] },
    C2paRuntime,
    WatermarkPayloads,
    ManifestStore,
    ReleaseEvidence,
    {
      provide: ProvenanceStages,
      useFactory: (cfg: AppConfig, bins: FfmpegBinaries, key: WatermarkKey, payloads: WatermarkPayloads, runtime: C2paRuntime, evidence: ReleaseEvidence, manifests: ManifestStore) =>
        new ProvenanceStages(cfg, bins, key, payloads, runtime, evidence, manifests),
      inject: [APP_CONFIG, FFMPEG_BINARIES, WATERMARK_KEY, WatermarkPayloads, C2paRuntime, ReleaseEvidence, ManifestStore],
    },
  ],
  exports: [WATERMARK_KEY, C2paRuntime, WatermarkPayloads, ManifestStore, ProvenanceStages],
})
export class ProvenanceModule {}
