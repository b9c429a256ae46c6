import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { WATERMARK_ALGORITHM, type CheckKind, type CheckVerdict } from '@provenant/shared';
import type { ReferenceImageFormat, ReleaseProvenance } from '../../engines/c2pa';
import type { ContentStore } from '../../engines/storage/content-store';
import { AuditLogIntegrator } from '../audit/audit-log-integrator';
import { CONTENT_STORE } from '../core/tokens';
import { StageRejection, type StageClip } from '../pipeline/pipeline-stage';

const PROVENANT_VERSION = backendVersion();
const NO_POLICY = 'none';
const VERDICT_RANK: Record<CheckVerdict, number> = { allow: 0, review: 1, block: 2 };
const CHECKPOINT_ATTEMPTS = 50;
const CHECKPOINT_RETRY_MS = 100;

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
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
  ) {}

  async gather(clip: StageClip): Promise<ReleaseProvenance> {
    const [payload] = await this.dataSource.query(`SELECT payload FROM watermark_payloads WHERE clip_id = $1`, [clip.id]);
    // A clip let out of a block by a senior reviewer skipped the watermark stage: it cannot be released with the marks.
    if (!payload) throw new StageRejection('SIGNING_FAILED', `clip ${clip.id} was never watermarked (it reached review without passing the watermark stage); it cannot be signed and released`);
    const approval = await this.approval(clip.id);
    const thumbnailSha256 = await this.stageResultField(clip.id, 'media_analysis', 'thumbnailSha256');
    if (!thumbnailSha256) throw new ReleaseEvidenceError(`clip ${clip.id} has no thumbnail from media analysis`);
    const provenance: ReleaseProvenance = {
      clipId: clip.id,
      source: clip.source,
      generator: { name: clip.generator ?? (clip.source === 'upload' ? 'undeclared (uploaded clip)' : 'unknown') },
      provenantVersion: PROVENANT_VERSION,
      watermark: {
        algorithm: WATERMARK_ALGORITHM,
        payloadHex: payload.payload as string,
        durationMs: clip.media ? Math.max(1, Math.round(clip.media.durationSeconds * 1000)) : undefined,
      },
      review: {
        decision: 'approved',
        approvals: approval.approvals,
        policyVersion: (await this.policyVersion(clip.id)) ?? NO_POLICY,
        checkVerdicts: await this.checkVerdicts(clip.id),
        auditSeq: approval.seq,
        checkpoint: await this.checkpointCovering(approval.seq),
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

  /** The audit event of the final approval of the latest round, and how many approved in that round. */
  private async approval(clipId: string): Promise<{ seq: number; approvals: number }> {
    const rows: { seq: string; approvals: string }[] = await this.dataSource.query(
      `SELECT seq, body->>'approvals' AS approvals FROM audit_events
        WHERE subject_type = 'clip' AND subject_id = $1 AND action = 'review.decision'
          AND body->>'decision' = 'approve' AND (body->>'final')::boolean
        ORDER BY seq DESC LIMIT 1`,
      [clipId],
    );
    if (!rows.length) throw new ReleaseEvidenceError(`clip ${clipId} has no recorded final approval`);
    return { seq: Number(rows[0].seq), approvals: Number(rows[0].approvals) };
  }

  /** The moderation policy in force for the clip's frames (else for its prompt), as the moderation stage recorded it. */
  private async policyVersion(clipId: string): Promise<string | null> {
    return (await this.stageResultField(clipId, 'clip_moderation', 'policyVersion')) ?? (await this.stageResultField(clipId, 'prompt_moderation', 'policyVersion'));
  }

  private async stageResultField(clipId: string, stage: string, field: string): Promise<string | null> {
    const rows: { value: string | null }[] = await this.dataSource.query(
      `SELECT result->>$3 AS value FROM stage_results WHERE clip_id = $1 AND stage = $2 AND status = 'succeeded'`,
      [clipId, stage, field],
    );
    return rows[0]?.value ?? null;
  }

  /** Per check, the worst verdict its stages recorded in the audit log (a block a senior reviewer overrode stays a block). */
  private async checkVerdicts(clipId: string): Promise<Partial<Record<CheckKind, CheckVerdict>>> {
    const rows: { check: CheckKind; verdict: CheckVerdict }[] = await this.dataSource.query(
      `SELECT body->>'check' AS check, body->>'verdict' AS verdict FROM audit_events
        WHERE subject_type = 'clip' AND subject_id = $1 AND action = 'stage.completed' AND body->>'check' IS NOT NULL ORDER BY seq`,
      [clipId],
    );
    const verdicts: Partial<Record<CheckKind, CheckVerdict>> = {};
    for (const { check, verdict } of rows) {
      const before = verdicts[check];
      if (!before || VERDICT_RANK[verdict] > VERDICT_RANK[before]) verdicts[check] = verdict;
    }
    return verdicts;
  }

  /** The smallest signed checkpoint whose tree includes `seq`; integrates the log first when none does yet. */
  private async checkpointCovering(seq: number): Promise<string> {
    for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
      const rows: { signed_note: string }[] = await this.dataSource.query(
        `SELECT signed_note FROM audit_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1`,
        [seq],
      );
      if (rows.length) return rows[0].signed_note;
      // null: another process holds this turn of integration; its checkpoint appears shortly.
      if ((await this.integrator.integrate()) === null) await new Promise((r) => setTimeout(r, CHECKPOINT_RETRY_MS));
    }
    throw new ReleaseEvidenceError(`no signed audit checkpoint covers seq ${seq} yet`);
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
