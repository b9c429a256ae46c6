import { Module } from '@nestjs/common';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ProvenanceModule } from './provenance.module';
import { PublisherVerification } from './publisher-verification';
import { VerifyController } from './verify.controller';

/** Publisher verification over HTTP (api process only). */
@Module({ imports: [ProvenanceModule], controllers: [VerifyController], providers: [PublisherVerification, StageResultRepository] })
export class ProvenanceApiModule {}
