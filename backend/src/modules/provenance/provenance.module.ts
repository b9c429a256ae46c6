import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { ReviewQueueModule } from '../review/review-queue.module';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { loadC2paCredentials } from './c2pa-credentials';
import { C2paRuntime } from './c2pa-runtime';
import { FileProvenanceReader } from './file-provenance';
import { ManifestStore } from './manifest-store';
import { ManifestRepository } from './manifest.repository';
import { C2PA_CREDENTIALS, WATERMARK_KEY } from './provenance-tokens';
import { ReleaseEvidence } from './release-evidence';
import { loadWatermarkKey } from './watermark-key-source';
import { WatermarkPayloadRepository } from './watermark-payload.repository';
import { WatermarkPayloads } from './watermark-payloads';

/**
 * Keys and credentials (watermark key, C2PA signer and trust anchors; the
 * development ones are generated on first start), the payload registry, the
 * manifest store, what a release manifest says (ReleaseEvidence) and what a
 * file says about its origin (FileProvenanceReader).
 */
@Module({
  imports: [ReviewQueueModule],
  providers: [
    { provide: WATERMARK_KEY, useFactory: (cfg: AppConfig) => loadWatermarkKey(cfg), inject: [APP_CONFIG] },
    { provide: C2PA_CREDENTIALS, useFactory: (cfg: AppConfig) => loadC2paCredentials(cfg), inject: [APP_CONFIG] },
    C2paRuntime,
    FileProvenanceReader,
    WatermarkPayloads,
    WatermarkPayloadRepository,
    ManifestStore,
    ManifestRepository,
    ReleaseEvidence,
    StageResultRepository,
  ],
  exports: [WATERMARK_KEY, C2paRuntime, FileProvenanceReader, WatermarkPayloads, ManifestStore, ReleaseEvidence],
})
export class ProvenanceModule {}
