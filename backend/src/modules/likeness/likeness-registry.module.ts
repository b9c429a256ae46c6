import { Module } from '@nestjs/common';
import { LikenessRegistrySnapshot } from './likeness-registry-snapshot';
import { LikenessSubjectRepository } from './likeness-subject.repository';

/** The registry's storage and each process's in-memory copy of it, which the likeness stages read. */
@Module({
  providers: [LikenessSubjectRepository, LikenessRegistrySnapshot],
  exports: [LikenessSubjectRepository, LikenessRegistrySnapshot],
})
export class LikenessRegistryModule {}
