import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ContentStore } from '../../engines/storage/content-store';
import type { Principal } from '../auth/principal';
import { canSeeAllClips } from '../clips/clip-query';
import { CONTENT_STORE } from '../core/tokens';
import { PipelinePlan } from '../pipeline/pipeline-plan';

export interface EvidenceImage {
  stream: Readable;
  bytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Every worst frame of every report a moderation stage stored for the clip.
const WORST_FRAME_PATH = '$.reports[*].report.evidence[*].worstFrames[*] ? (@.thumbnailSha256 == $sha)';

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
    private readonly plan: PipelinePlan,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async open(clipId: string, sha256: string, p: Principal): Promise<EvidenceImage> {
    if (!SHA256_HEX.test(sha256)) throw new BadRequestException('sha256: must be 64 lowercase hexadecimal digits');
    const [clip]: { created_by: string }[] = await this.dataSource.query('SELECT created_by FROM clips WHERE id = $1', [clipId]);
    // Someone else's clip answers like a missing one, as GET /clips/:id does.
    if (!clip || (!canSeeAllClips(p) && clip.created_by !== p.userId)) throw new NotFoundException(`clip ${clipId} not found`);
    const stages = (this.plan.checksProvided().get('moderation') ?? []).map((s) => s.name);
    const named: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM stage_results WHERE clip_id = $1 AND stage = ANY($2) AND jsonb_path_exists(result, $3, jsonb_build_object('sha', $4::text))`,
      [clipId, stages, WORST_FRAME_PATH, sha256],
    );
    if (named.length === 0) throw new NotFoundException(`clip ${clipId} has no moderation evidence ${sha256}`);
    const path = this.store.localPath(sha256);
    const { size } = await stat(path);
    return { stream: createReadStream(path), bytes: size };
  }
}
