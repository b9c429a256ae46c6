import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ContentStore } from '../../engines/storage/content-store';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { CONTENT_STORE } from '../core/tokens';
import { maySeeClip } from '../core/visibility';
import { ClipRepository } from '../lifecycle/clip.repository';
import { readRelease } from '../pipeline/release-record';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { containerFormat } from './container-format';

export interface ReleasedFile {
  stream: Readable;
  bytes: number;
  sha256: string;
  signed: boolean;
  contentType: string;
  filename: string;
}

/**
 * Serves released clips: to their creator and to the roles that see every
 * clip, and in no state but RELEASED. Every download is audited before the
 * first byte is sent.
 */
@Injectable()
export class ClipDownloads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly audit: AuditLog,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async open(id: string, p: Principal): Promise<ReleasedFile> {
    const clip = await this.clips.findById(this.dataSource, id);
    // Someone else's clip answers like a missing one, as GET /clips/:id does.
    if (!clip || !maySeeClip(p, clip.createdBy)) throw new NotFoundException(`clip ${id} not found`);
    if (clip.state !== 'RELEASED') throw new ConflictException(`clip ${id} is ${clip.state}; only a RELEASED clip can be downloaded`);
    const release = await readRelease(this.dataSource, { clips: this.clips, stageResults: this.stageResults }, id);
    if (!release) throw new Error(`clip ${id} is RELEASED but has no release record`);
    const path = this.store.localPath(release.sha256);
    const { size } = await stat(path);
    await this.dataSource.transaction((m) =>
      this.audit.append(m, {
        actor: actorOf(p),
        action: 'clip.downloaded',
        subjectType: 'clip',
        subjectId: id,
        body: { sha256: release.sha256, signed: release.signed, bytes: size },
      }),
    );
    const format = containerFormat(clip.media?.container);
    return { stream: createReadStream(path), bytes: size, sha256: release.sha256, signed: release.signed, contentType: format.type, filename: `${id}.${format.ext}` };
  }
}
