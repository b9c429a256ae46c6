import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ContentStore } from '../../engines/storage/content-store';
import type { Principal } from '../auth/principal';
import { stagesOfCheck } from '@provenant/shared';
import { maySeeClip } from '../core/visibility';
import { ClipRepository } from '../lifecycle/clip.repository';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { CONTENT_STORE } from '../core/tokens';

export interface EvidenceImage {
  stream: Readable;
  bytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Serves the thumbnails of moderation evidence (worst frames, stored by
 * hash). A hash is served only for a clip the caller may see and only if
 * that clip's moderation results name it, so the endpoint cannot be used to
 * read other objects of the content store.
 */
@Injectable()
export class ModerationEvidence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async open(clipId: string, sha256: string, p: Principal): Promise<EvidenceImage> {
    if (!SHA256_HEX.test(sha256)) throw new BadRequestException('sha256: must be 64 lowercase hexadecimal digits');
    const clip = await this.clips.findById(this.dataSource, clipId);
    // Someone else's clip answers like a missing one, as GET /clips/:id does.
    if (!clip || !maySeeClip(p, clip.createdBy)) throw new NotFoundException(`clip ${clipId} not found`);
    if (!(await this.stageResults.namesWorstFrame(this.dataSource, clipId, stagesOfCheck('moderation'), sha256))) throw new NotFoundException(`clip ${clipId} has no moderation evidence ${sha256}`);
    const path = this.store.localPath(sha256);
    const { size } = await stat(path);
    return { stream: createReadStream(path), bytes: size };
  }
}
