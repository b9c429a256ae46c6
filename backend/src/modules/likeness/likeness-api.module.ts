import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { LikenessController } from './likeness.controller';
import { LikenessRegistry } from './likeness-registry';
import { LikenessRegistryModule } from './likeness-registry.module';

/** The likeness registry's API: subjects, grants, and a subject's own cameo feed. */
@Module({
  imports: [LikenessRegistryModule, PipelineModule],
  controllers: [LikenessController],
  providers: [LikenessRegistry],
})
export class LikenessApiModule {}
