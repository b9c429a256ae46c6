import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { STAGE_CHECK, WATERMARK_ALGORITHM, type CheckKind, type CheckVerdict, type StageName } from '@provenant/shared';
import type { ReferenceImageFormat, ReleaseProvenance } from '../../engines/c2pa';
import type { ContentStore } from '../../engines/storage/content-store';
import { AuditLogIntegrator } from '../audit/audit-log-integrator';
import { CONTENT_STORE } from '../core/tokens';
import { StageRejection, type StageClip } from '../pipeline/pipeline-stage';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { WatermarkPayloadRepository } from './watermark-payload.repository';

const PROVENANT_VERSION = backendVersion();
const NO_POLICY = 'none';
const VERDICT_RANK: Record<CheckVerdict, number> = { allow: 0, review: 1, block: 2 };

/** A release cannot be described: the records it needs are missing. Retrying may help (e.g. a checkpoint not yet signed). */
export class ReleaseEvidenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseEvidenceError';
  }
}

/**
 * Collects what a clip's release manifest says, from our own records only:
 * the generator, the watermark payload, the review outcome (approvals, the
 * policy in force, the checks' verdicts, the audit event of the approval and
 * a signed checkpoint covering it), the thumbnail and the reference image.
 * Nothing personal: counts, versions, hashes and our own ids.
 */
@Injectable()
export class ReleaseEvidence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly integrator: AuditLogIntegrator,
    private readonly payloads: WatermarkPayloadRepository,
    private readonly decisions: ReviewDecisionRepository,
    private readonly stageResults: StageResultRepository,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async gather(clip: StageClip): Promise<ReleaseProvenance> {
    const db = this.dataSource;
    const payload = await this.payloads.ofClip(db, clip.id);
    // Every clip passes the watermark stage before review (an overridden block resumes there); one without a payload cannot carry the marks.
    if (!payload) throw new StageRejection('SIGNING_FAILED', `clip ${clip.id} was never watermarked (it reached review without passing the watermark stage); it cannot be signed and released`);
    const approval = await this.decisions.latestFinalApproval(db, clip.id);
    if (!approval) throw new ReleaseEvidenceError(`clip ${clip.id} has no recorded final approval`);
    const thumbnailSha256 = await this.resultField(clip.id, 'media_analysis', 'thumbnailSha256');
    if (!thumbnailSha256) throw new ReleaseEvidenceError(`clip ${clip.id} has no thumbnail from media analysis`);
    const auditSeq = await this.integrator.seqOf(approval.auditEventId);
    if (auditSeq === null) throw new ReleaseEvidenceError(`the approval's audit event ${approval.auditEventId} has no place in the log yet`);
    const checkpoint = await this.integrator.checkpointCovering(auditSeq);
    if (!checkpoint) throw new ReleaseEvidenceError(`no signed audit checkpoint covers seq ${auditSeq} yet`);
    const provenance: ReleaseProvenance = {
      clipId: clip.id,
      source: clip.source,
      generator: { name: clip.generator ?? (clip.source === 'upload' ? 'undeclared (uploaded clip)' : 'unknown') },
      provenantVersion: PROVENANT_VERSION,
      watermark: {
        algorithm: WATERMARK_ALGORITHM,
        payloadHex: payload.payload,
        durationMs: clip.media ? Math.max(1, Math.round(clip.media.durationSeconds * 1000)) : undefined,
      },
      review: {
        decision: 'approved',
        approvals: approval.approvals,
        policyVersion: (await this.policyVersion(clip.id)) ?? NO_POLICY,
        checkVerdicts: await this.checkVerdicts(clip.id),
        auditSeq,
        checkpoint,
      },
      thumbnail: { format: 'image/jpeg', bytes: await readFile(this.store.localPath(thumbnailSha256)) },
    };
    if (clip.referenceImageSha256 && clip.referenceImageType) {
      provenance.referenceImage = {
        format: clip.referenceImageType as ReferenceImageFormat,
        bytes: await readFile(this.store.localPath(clip.referenceImageSha256)),
        title: 'reference image',
      };
    }
    return provenance;
  }

  /** The moderation policy in force for the clip's frames (else for its prompt), as the moderation stage recorded it. */
  private async policyVersion(clipId: string): Promise<string | null> {
    return (await this.resultField(clipId, 'clip_moderation', 'policyVersion')) ?? (await this.resultField(clipId, 'prompt_moderation', 'policyVersion'));
  }

  private async resultField(clipId: string, stage: StageName, field: string): Promise<string | null> {
    const value = (await this.stageResults.succeeded(this.dataSource, clipId, stage))?.result[field];
    return typeof value === 'string' ? value : null;
  }

  /** Per check, the worst verdict its stages recorded (a block a senior reviewer overrode stays a block). */
  private async checkVerdicts(clipId: string): Promise<Partial<Record<CheckKind, CheckVerdict>>> {
    const verdicts: Partial<Record<CheckKind, CheckVerdict>> = {};
    for (const { stage, status, verdict } of await this.stageResults.listForClip(this.dataSource, clipId)) {
      const check = STAGE_CHECK[stage];
      if (!check || status !== 'succeeded' || !verdict) continue;
      const before = verdicts[check];
      if (!before || VERDICT_RANK[verdict] > VERDICT_RANK[before]) verdicts[check] = verdict;
    }
    return verdicts;
  }
}

/** The version in backend/package.json, found from src/ under Jest and from dist/src/ when built. */
function backendVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === '@provenant/backend' && pkg.version) return pkg.version;
  }
  throw new Error('backend/package.json not found above ' + __dirname);
}
