import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SignedManifest, SignedManifestSink } from '../pipeline/stages/signing.stage';
import { ManifestRepository, type ManifestOfClip } from './manifest.repository';

/** The manifest store as the signing stage and publisher verification use it: plain reads and writes, no transaction. */
@Injectable()
export class ManifestStore implements SignedManifestSink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly manifests: ManifestRepository,
  ) {}

  record(entry: SignedManifest): Promise<void> {
    return this.manifests.insert(this.dataSource, entry);
  }

  signedFrom(clipId: string, approvedSha256: string): Promise<ManifestOfClip | null> {
    return this.manifests.signedFrom(this.dataSource, clipId, approvedSha256);
  }

  bySignedSha256(sha256: string): Promise<ManifestOfClip | null> {
    return this.manifests.bySignedSha256(this.dataSource, sha256);
  }

  latestForClip(clipId: string): Promise<ManifestOfClip | null> {
    return this.manifests.latestForClip(this.dataSource, clipId);
  }

  latestForPayload(payloadHex: string): Promise<ManifestOfClip | null> {
    return this.manifests.latestForPayload(this.dataSource, payloadHex);
  }
}
