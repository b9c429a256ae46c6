import { BadRequestException, Inject, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { AuditEntry, ClipState, OriginRecovery, StoredManifestDto, VerifyC2paDto, VerifyReleaseDto, VerifyResponseDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { C2paError, type ManifestReport } from '../../engines/c2pa';
import type { ContentStore, StagedFile } from '../../engines/storage/content-store';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { APP_CONFIG, CONTENT_STORE } from '../core/tokens';
import { receiveMultipartUpload } from '../http/multipart-upload';
import { ClipRepository } from '../lifecycle/clip.repository';
import { SIGNING_STAGE } from '../pipeline/pipeline-stage';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import type { SignedReleaseResult } from '../pipeline/stages/signing.stage';
import { FileProvenanceReader, type FileProvenance } from './file-provenance';
import { ManifestStore } from './manifest-store';
import type { ManifestOfClip } from './manifest.repository';

interface Origin {
  clipId: string | null;
  recoveredBy: OriginRecovery | null;
  originalManifest: StoredManifestDto | null;
}

/**
 * What a publisher learns about a file: (a) its embedded C2PA manifest,
 * validated against our CA and any configured anchors; (b) when that is
 * absent, broken or not ours, the invisible watermark, looked up in the
 * payload registry and the manifest store; (c) the release status of the
 * clip it leads to, with a loud warning when that clip was never released.
 */
@Injectable()
export class PublisherVerification {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly clips: ClipRepository,
    private readonly stageResults: StageResultRepository,
    private readonly files: FileProvenanceReader,
    private readonly manifests: ManifestStore,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(p: Principal, req: Request): Promise<VerifyResponseDto> {
    const { staged } = await receiveMultipartUpload(req, this.store, { maxBytes: this.config.VERIFY_MAX_UPLOAD_BYTES });
    if (!staged) throw new BadRequestException('file: a video file is required (multipart field "file")');
    try {
      return await this.verifyFile(p, staged);
    } finally {
      await this.store.discard(staged.tempPath);
    }
  }

  private async verifyFile(p: Principal, file: StagedFile): Promise<VerifyResponseDto> {
    const traced = await this.trace(file.tempPath);
    const c2pa = c2paDto(traced.c2pa);
    const origin: Origin = traced.c2paClipId
      ? { clipId: traced.c2paClipId, recoveredBy: 'c2pa', originalManifest: asStored((await this.manifests.bySignedSha256(file.sha256)) ?? (await this.manifests.latestForClip(traced.c2paClipId))) }
      : traced.watermarkClipId
        ? { clipId: traced.watermarkClipId, recoveredBy: 'watermark', originalManifest: asStored(await this.manifests.latestForPayload(traced.watermark!.payload!)) }
        : { clipId: null, recoveredBy: null, originalManifest: null };
    const watermark = traced.watermark;
    const release = await this.releaseOf(origin.clipId);
    const answer: VerifyResponseDto = {
      c2pa,
      watermark,
      origin: { ...origin, message: originMessage(traced.c2pa, origin) },
      release,
      file: { sha256: file.sha256, bytes: file.bytes },
    };
    const actor = actorOf(p);
    const body = { fileSha256: file.sha256, c2paState: c2pa.state, recoveredBy: origin.recoveredBy, releaseStatus: release.status, leak: release.leak, watermarkFound: watermark?.found ?? null };
    const entry: AuditEntry = origin.clipId
      ? { actor, action: 'clip.verified', subjectType: 'clip', subjectId: origin.clipId, body }
      : { actor, action: 'verify.unknown', subjectType: 'file', subjectId: file.sha256, body };
    await this.dataSource.transaction((m) => this.audit.append(m, entry));
    return answer;
  }

  private async trace(path: string): Promise<FileProvenance> {
    try {
      return await this.files.trace(path, { watermark: 'unless_traced_by_manifest' });
    } catch (err) {
      // The engine names the file it read, which here is a scratch path on this server.
      if (err instanceof C2paError && (err.code === 'UNSUPPORTED_MEDIA' || err.code === 'INPUT_UNREADABLE')) {
        throw new UnsupportedMediaTypeException(`file: ${err.message.split(path).join('the uploaded file')}`);
      }
      throw err;
    }
  }

  private async releaseOf(clipId: string | null): Promise<VerifyReleaseDto> {
    if (!clipId) return { status: 'never_released', leak: false, message: 'this file does not lead to any clip of ours: we never released it' };
    const state = (await this.clips.findById(this.dataSource, clipId))!.state;
    const signed = state === 'RELEASED' ? await this.stageResults.succeeded(this.dataSource, clipId, SIGNING_STAGE) : null;
    if (signed) {
      const result = signed.result as SignedReleaseResult;
      return {
        status: 'released',
        releasedAt: new Date(signed.finishedAt).toISOString(),
        policyVersion: typeof result.policyVersion === 'string' ? result.policyVersion : undefined,
        releasedSha256: String(result.releasedSha256),
        clipState: state,
        leak: false,
        message: null,
      };
    }
    return { status: 'never_released', clipState: state, leak: true, message: leakMessage(clipId, state) };
  }
}

function c2paDto(report: ManifestReport): VerifyC2paDto {
  const claims = report.claims;
  return {
    state: report.state,
    failures: report.failures,
    signer: report.signer && { commonName: report.signer.commonName, organization: report.signer.organization, timestampedAt: report.signer.timestampedAt },
    claims: claims && {
      manifestLabel: claims.manifestLabel,
      claimGenerator: claims.claimGenerator,
      actions: claims.actions,
      softBindings: claims.softBindings,
      review: claims.review,
    },
  };
}

/** The manifest as the answer describes it: the clip it belongs to is `origin.clipId` already. */
function asStored(manifest: ManifestOfClip | null): StoredManifestDto | null {
  if (!manifest) return null;
  const { clipId: _clipId, ...stored } = manifest;
  return stored;
}

function originMessage(report: ManifestReport, origin: Origin): string | null {
  if (origin.recoveredBy !== 'watermark') return null;
  const why =
    report.state === 'absent'
      ? "this clip's credentials were stripped"
      : report.state === 'Invalid'
        ? "this clip's embedded credentials are invalid (the file was changed after signing)"
        : "this clip's embedded credentials are not ours";
  return origin.originalManifest
    ? `${why}; its watermark identifies clip ${origin.clipId}: here is the original manifest`
    : `${why}; its watermark identifies clip ${origin.clipId}, which was never signed`;
}

function leakMessage(clipId: string, state: ClipState): string {
  const what =
    state === 'REJECTED'
      ? 'was rejected in review'
      : state === 'BLOCKED'
        ? 'was blocked by a safety check'
        : state === 'FAILED'
          ? 'failed in the pipeline'
          : state === 'AWAITING_REVIEW'
            ? 'is still awaiting review'
            : `is still being processed (${state})`;
  return `LEAK: this file is clip ${clipId}, which ${what} and was never released; it should not be circulating`;
}
