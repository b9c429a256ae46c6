import { Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { loadSecretBox } from '../core/secret-box';
import { APP_CONFIG } from '../core/tokens';
import { FaceAnalysis } from './face-analysis';
import { LikenessRegistrySnapshot } from './likeness-registry-snapshot';
import { LikenessSubjectRepository } from './likeness-subject.repository';
import { LIKENESS_TEMPLATE_BOX } from './likeness-tokens';

/** The registry's storage, its sealed face templates, each process's in-memory copy of it, and face analysis. */
@Module({
  providers: [
    LikenessSubjectRepository,
    LikenessRegistrySnapshot,
    FaceAnalysis,
    {
      provide: LIKENESS_TEMPLATE_BOX,
      useFactory: (cfg: AppConfig) => loadSecretBox(cfg, { setting: 'LIKENESS_TEMPLATE_KEY', value: cfg.LIKENESS_TEMPLATE_KEY, devFile: 'likeness-template-key.dev.hex', what: 'likeness template key' }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [LikenessSubjectRepository, LikenessRegistrySnapshot, FaceAnalysis, LIKENESS_TEMPLATE_BOX],
})
export class LikenessRegistryModule {}
