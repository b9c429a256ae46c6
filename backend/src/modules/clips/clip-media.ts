import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ContentStore } from '../../engines/storage/content-store';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { CONTENT_STORE } from '../core/tokens';
import { maySeeClip } from '../core/visibility';
import { parseByteRange } from '../http/byte-range';
import { ClipRepository } from '../lifecycle/clip.repository';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { containerFormat } from './container-format';

/** Bytes of the clip's media to send: the whole file (200) or one range of it (206). */
export interface MediaSlice {
  stream: Readable;
  contentType: string;
  /** Size of the whole file. */
  bytes: number;
  /** Inclusive byte positions sent; null for the whole file. */
  range: { start: number; end: number } | null;
}

/** A `Range` the file cannot satisfy: 416, with the file's size for `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiable extends HttpException {
  constructor(
    readonly bytes: number,
    problem: string,
  ) {
    super(`range: ${problem}`, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
  }
}

/**
 * Serves the clip for watching before release: its watermarked render (the
 * file the reviewers approve; once released, the signed copy of it), never
 * the unmarked source, to whoever may read the clip. The start of each
 * viewing is audited before its first byte is sent; the range requests a
 * player makes to seek are not.
 */
@Injectable()
export class ClipMedia {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly audit: AuditLog,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async open(id: string, p: Principal, rangeHeader: string | undefined): Promise<MediaSlice> {
    const clip = await this.clips.findById(this.dataSource, id);
    // Someone else's clip answers like a missing one, as GET /clips/:id does.
    if (!clip || !maySeeClip(p, clip.createdBy)) throw new NotFoundException(`clip ${id} not found`);
    // Until the watermark stage has made the render the clip's media, the media is the unmarked source.
    const rendered = await this.stageResults.succeeded(this.dataSource, id, 'watermark');
    if (!rendered || !clip.media) throw new ConflictException(`clip ${id} is ${clip.state} and has no watermarked render to watch yet`);
    const path = this.store.localPath(clip.media.sha256);
    const { size } = await stat(path);
    const range = parseByteRange(rangeHeader, size);
    if (range.kind === 'unsatisfiable') throw new RangeNotSatisfiable(size, range.problem);
    const part = range.kind === 'part' ? { start: range.start, end: range.end } : null;
    if (!part || part.start === 0) {
      await this.dataSource.transaction((m) =>
        this.audit.append(m, {
          actor: actorOf(p),
          action: 'clip.media_viewed',
          subjectType: 'clip',
          subjectId: id,
          body: { sha256: clip.media!.sha256, bytes: size, state: clip.state },
        }),
      );
    }
    return { stream: createReadStream(path, part ?? {}), contentType: containerFormat(clip.media.container).type, bytes: size, range: part };
  }
}
