import { BadRequestException, Inject, Injectable, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { SubmitClipResponse } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { checkMediaLimits, MediaProber, MediaRejectedError } from '../../engines/media';
import type { ContentStore, StagedFile } from '../../engines/storage/content-store';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../core/hashing';
import { APP_CONFIG, CONTENT_STORE } from '../core/tokens';
import { receiveMultipartUpload } from '../http/multipart-upload';
import { ClipRepository, type NewClipRecord } from '../lifecycle/clip.repository';
import { toMediaInfo } from '../pipeline/media-info';
import { mediaLimitsFrom } from '../pipeline/media-limits.config';
import { PipelineOrchestrator } from '../pipeline/pipeline-orchestrator';
import { validatePrompt } from './prompt-text';
import { REFERENCE_IMAGE_MIME, validateReferenceImage } from './reference-image';

type NewClip = Omit<NewClipRecord, 'createdBy' | 'apiKeyId'>;

const GENERATOR_NAME = /^[\p{L}\p{N} ._:/()+-]{1,100}$/u;

/**
 * Accepts clips. Everything is validated before anything is kept; the clip
 * row, its first audit event and its first job (in the outbox) are written
 * in one transaction, so an answered 202 is never lost and a refused request
 * leaves no file, row or job behind.
 */
@Injectable()
export class ClipIntake {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clips: ClipRepository,
    private readonly orchestrator: PipelineOrchestrator,
    private readonly prober: MediaProber,
    private readonly audit: AuditLog,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async submitPrompt(principal: Principal, body: { prompt?: unknown; referenceImageBase64?: unknown }): Promise<SubmitClipResponse> {
    const prompt = this.field(() => validatePrompt(body.prompt, this.config.MAX_PROMPT_CHARS));
    const clip: NewClip = { source: 'prompt', prompt, generator: null, referenceImageSha256: null, referenceImageType: null, mediaSha256: null, media: null };
    let staged: StagedFile | null = null;
    if (body.referenceImageBase64 !== undefined && body.referenceImageBase64 !== null) {
      const bytes = this.field(() => decodeBase64(body.referenceImageBase64));
      const type = this.field(() =>
        validateReferenceImage(bytes, { maxBytes: this.config.MAX_REFERENCE_IMAGE_BYTES, maxPixels: this.config.MAX_REFERENCE_IMAGE_PIXELS, types: this.config.REFERENCE_IMAGE_TYPES }),
      );
      staged = await this.store.stage(Readable.from([bytes]));
      clip.referenceImageSha256 = staged.sha256;
      clip.referenceImageType = REFERENCE_IMAGE_MIME[type];
    }
    return this.persist(principal, clip, staged);
  }

  async submitUpload(principal: Principal, req: Request): Promise<SubmitClipResponse> {
    const { staged, fields } = await receiveMultipartUpload(req, this.store, {
      maxBytes: this.config.MAX_UPLOAD_BYTES,
      fields: ['prompt', 'generator'],
      fieldSize: this.config.MAX_PROMPT_CHARS * 4 + 16,
    });
    try {
      if (!staged) throw new BadRequestException('file: a video file is required (multipart field "file")');
      const prompt = fields.prompt === undefined ? null : this.field(() => validatePrompt(fields.prompt, this.config.MAX_PROMPT_CHARS));
      const generator = fields.generator === undefined ? null : fields.generator.trim();
      if (generator !== null && !GENERATOR_NAME.test(generator)) {
        throw new BadRequestException('generator: must be 1-100 letters, digits, spaces or ._:/()+-');
      }
      const probed = await this.prober.probe(staged.tempPath).catch((err) => {
        if (err instanceof MediaRejectedError) throw new UnsupportedMediaTypeException(`file: ${err.reason}`);
        throw err;
      });
      const problem = checkMediaLimits(probed, mediaLimitsFrom(this.config));
      if (problem) throw new UnprocessableEntityException(`file: ${problem}`);
      const media = toMediaInfo(staged.sha256, probed);
      return await this.persist(principal, { source: 'upload', prompt, generator, referenceImageSha256: null, referenceImageType: null, mediaSha256: staged.sha256, media }, staged);
    } finally {
      if (staged) await this.store.discard(staged.tempPath);
    }
  }

  /** Commits the staged file and writes the clip; removes the file again if the database refuses. */
  private async persist(principal: Principal, clip: NewClip, staged: StagedFile | null): Promise<SubmitClipResponse> {
    const existedBefore = staged ? await this.store.has(staged.sha256) : true;
    if (staged) await this.store.commit(staged);
    try {
      const actor = actorOf(principal);
      return await this.dataSource.transaction(async (m) => {
        const id = await this.clips.insert(m, { ...clip, createdBy: principal.userId, apiKeyId: principal.apiKeyId });
        await this.audit.append(m, {
          actor,
          action: 'clip.submitted',
          subjectType: 'clip',
          subjectId: id,
          body: { source: clip.source, promptSha256: clip.prompt ? sha256Hex(clip.prompt) : null, mediaSha256: clip.mediaSha256, referenceImageSha256: clip.referenceImageSha256 },
        });
        await this.clips.publishEvent(m, { clipId: id, createdBy: principal.userId, state: 'SUBMITTED', stage: null, at: new Date().toISOString() });
        await this.orchestrator.advance(m, id, actor);
        return { id, state: (await this.clips.findById(m, id))!.state };
      });
    } catch (err) {
      if (staged && !existedBefore) await this.store.discard(this.store.localPath(staged.sha256));
      throw err;
    }
  }

  private field<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new BadRequestException((err as Error).message);
    }
  }
}

function decodeBase64(value: unknown): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw new Error('referenceImageBase64: must be base64 text');
  return Buffer.from(value, 'base64');
}

