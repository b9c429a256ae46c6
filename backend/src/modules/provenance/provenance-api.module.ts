import { Module } from '@nestjs/common';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ProvenanceModule } from './provenance.module';
import { PublisherVerification } from './publisher-verification';
import { VerifyController } from './verify.controller';

/** Publisher verification over HTTP (api process only). */
@Module({ imports: [ProvenanceModule, PipelineModule], controllers: [VerifyController], providers: [PublisherVerification] })
export class ProvenanceApiModule {}
