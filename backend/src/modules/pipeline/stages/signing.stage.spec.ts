import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { WATERMARK_ALGORITHM } from '@provenant/shared';
import { loadConfig } from '../../../config/app-config';
import {
  C2paWasmHost,
  PemFileSigner,
  ReleaseSigner,
  createCertificateAuthority,
  issueEndEntityCertificate,
  readManifest,
  type IssuedCertificate,
} from '../../../engines/c2pa';
import { resolveFfmpegBinaries, MediaProber, runProcess } from '../../../engines/media';
import { CheckpointSigner, generateDevelopmentKey } from '../../../engines/merkle-log';
import { LocalContentStore } from '../../../engines/storage/local-content-store';
import { AuditLog } from '../../audit/audit-log';
import { AuditLogIntegrator } from '../../audit/audit-log-integrator';
import { ManifestStore } from '../../provenance/manifest-store';
import { ManifestRepository } from '../../provenance/manifest.repository';
import { WatermarkPayloadRepository } from '../../provenance/watermark-payload.repository';
import { ReviewDecisionRepository } from '../../review/review-decision.repository';
import { StageResultRepository } from '../stage-result.repository';
import { ReleaseEvidence, ReleaseEvidenceError } from '../../provenance/release-evidence';
import { StageRejection, type StageClip } from '../pipeline-stage';
import { SigningStage } from './signing.stage';
import { stageClip } from '../stage-clip.spec-helper';

/**
 * The signing release gate with real c2pa-rs, a real CA, a real content store
 * and our records on the test run's Postgres: the approval's audit event, a
 * signed checkpoint made on demand, the watermark payload and the thumbnail.
 */
describe('SigningStage', () => {
  const bins = resolveFfmpegBinaries();
  const config = loadConfig({});
  const audit = new AuditLog();
  let db: DataSource;
  let dir: string;
  let store: LocalContentStore;
  let host: C2paWasmHost;
  let ca: IssuedCertificate;
  let releaseSigner: ReleaseSigner;
  let manifests: ManifestStore;
  let evidence: ReleaseEvidence;
  let creatorId: string;
  let approvedSha256: string;

  const stage = (maxSignBytes = 50 * 1024 * 1024) => new SigningStage(releaseSigner, evidence, manifests, new MediaProber(bins, { timeoutMs: 60_000 }), maxSignBytes);
  const run = (s: SigningStage, clip: StageClip) => s.run({ clip, store, signal: new AbortController().signal, attempt: 1, framesWanted: new Set() });

  /** A clip as the pipeline leaves it at SIGNING: watermarked, analysed, approved once (the approval in the audit log). */
  const approvedClip = async (options: { approve?: boolean; generator?: string | null } = {}): Promise<{ clip: StageClip; payload: string; approvalEventId: number | null }> => {
    const payload = randomUUID().replace(/-/g, '').slice(0, 16);
    const [{ id }] = await db.query(`INSERT INTO clips (state, source, generator, created_by, flagged, media_sha256) VALUES ('SIGNING', 'upload', $1, $2, false, $3) RETURNING id`, [
      options.generator ?? null,
      creatorId,
      approvedSha256,
    ]);
    await db.query(`INSERT INTO watermark_payloads (payload, clip_id) VALUES ($1, $2)`, [payload, id]);
    const thumbnail = join(dir, `${id}.jpg`);
    await runProcess(bins.ffmpeg, ['-v', 'error', '-y', '-i', store.localPath(approvedSha256), '-frames:v', '1', '-vf', 'scale=160:-2', thumbnail], { timeoutMs: 30_000 });
    const thumbnailSha256 = await store.commit(await store.stageFile(thumbnail));
    await db.query(
      `INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, started_at, finished_at) VALUES ($1, 'media_analysis', 'succeeded', 'allow', 1, $2, now(), now())`,
      [id, { thumbnailSha256 }],
    );
    let approvalEventId: number | null = null;
    await db.transaction(async (m) => {
      const stageEventId = await audit.append(m, {
        actor: 'worker',
        action: 'stage.completed',
        subjectType: 'clip',
        subjectId: id,
        body: { stage: 'watermark', check: 'watermark', verdict: 'allow', attempts: 1, mediaSha256: approvedSha256 },
      });
      await new StageResultRepository().recordSucceeded(m, id, 'watermark', { verdict: 'allow', attempts: 1, result: {}, startedAt: new Date(), auditEventId: stageEventId });
      if (options.approve !== false) {
        const decisionId = randomUUID();
        const body = { decisionId, round: 1, decision: 'approve', reasonCode: 'policy_compliant', reasonCatalogVersion: '1', noteSha256: null, senior: false, approvals: 1, approvalsNeeded: 1, final: true, mediaSha256: approvedSha256 } as const;
        approvalEventId = await audit.append(m, { actor: `user:${creatorId}`, action: 'review.decision', subjectType: 'clip', subjectId: id, body });
        await new ReviewDecisionRepository().insert(m, {
          id: decisionId,
          clipId: id,
          round: 1,
          reviewerId: creatorId,
          senior: false,
          decision: 'approve',
          reasonCode: body.reasonCode,
          reasonCatalogVersion: body.reasonCatalogVersion,
          note: null,
          noteSha256: null,
          mediaSha256: approvedSha256,
          final: true,
          auditEventId: approvalEventId,
        });
      }
    });
    const clip = stageClip({ id, generator: options.generator ?? null, mediaSha256: approvedSha256, approvedMediaSha256: approvedSha256 });
    return { clip, payload, approvalEventId };
  };

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    [{ id: creatorId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@sign-stage.test`]);
    dir = await mkdtemp(join(tmpdir(), 'sign-stage-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
    const file = join(dir, 'approved.mp4');
    await runProcess(
      bins.ffmpeg,
      ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
      { timeoutMs: 30_000 },
    );
    approvedSha256 = await store.commit(await store.stageFile(file));
    ca = await createCertificateAuthority('Signing Stage Test CA');
    const leaf = await issueEndEntityCertificate(ca, 'Signing Stage Test Signer', 'c2pa-signing');
    host = new C2paWasmHost();
    releaseSigner = new ReleaseSigner({ signer: PemFileSigner.fromPem(leaf.privateKeyPem, leaf.certificatePem), maxInputBytes: 50 * 1024 * 1024, host });
    manifests = new ManifestStore(db, new ManifestRepository());
    const integrator = new AuditLogIntegrator(db, CheckpointSigner.fromPrivateKeyPem(generateDevelopmentKey().privateKeyPem), config);
    evidence = new ReleaseEvidence(db, integrator, new WatermarkPayloadRepository(), new ReviewDecisionRepository(), new StageResultRepository(), store);
  });
  afterAll(async () => {
    await host?.close();
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs exactly the approved file, returns the signed file as the released media and stores the manifest three ways', async () => {
    const { clip, payload, approvalEventId } = await approvedClip({ generator: 'studio-model-v2' });
    const outcome = await run(stage(), clip);
    // The manifest names the approval by its place in the log, which the sequencer gave it after commit.
    const [{ seq }] = await db.query(`SELECT seq::int FROM audit_events WHERE id = $1`, [approvalEventId]);
    const approvalSeq: number = seq;
    expect(approvalSeq).toBeGreaterThan(0);
    const signedSha256 = outcome.media!.sha256;
    expect(outcome).toMatchObject({
      verdict: 'allow',
      result: { releasedSha256: signedSha256, signed: true, note: null, approvedSha256, watermarkPayload: payload, policyVersion: 'none', auditSeq: approvalSeq, timestamped: false },
    });
    expect(signedSha256).not.toBe(approvedSha256);

    const report = await readManifest(store.localPath(signedSha256), { trustAnchorsPem: ca.certificatePem, host });
    expect(report).toMatchObject({ state: 'Trusted', failures: [] });
    expect(report.claims!.actions[0]).toMatchObject({ action: 'c2pa.created', softwareAgent: 'studio-model-v2' });
    expect(report.claims!.softBindings).toEqual([{ algorithm: WATERMARK_ALGORITHM, value: payload }]);
    expect(report.claims!.review).toMatchObject({ clipId: clip.id, approvals: 1, auditSeq: approvalSeq, policyVersion: 'none', checkVerdicts: { watermark: 'allow' } });
    const [{ tree_size }] = await db.query(`SELECT tree_size FROM audit_checkpoints WHERE signed_note = $1`, [report.claims!.review!.checkpoint]);
    expect(Number(tree_size)).toBeGreaterThanOrEqual(approvalSeq);

    const bySha = await manifests.bySignedSha256(signedSha256);
    expect(bySha).toMatchObject({ clipId: clip.id, signedSha256, watermarkPayload: payload, manifestLabel: outcome.result.manifestLabel, timestamped: false });
    expect(await manifests.latestForPayload(payload)).toEqual(bySha);
    expect(await manifests.latestForClip(clip.id)).toMatchObject({ signedSha256 });
    const [{ manifest_store }] = await db.query(`SELECT manifest_store FROM c2pa_manifests WHERE signed_sha256 = $1`, [signedSha256]);
    expect((await readFile(store.localPath(signedSha256))).indexOf(manifest_store)).toBeGreaterThan(0);
  });

  it('a retried release reuses what an earlier attempt signed: the same file, one manifest, no second signed copy', async () => {
    const { clip } = await approvedClip();
    const first = await run(stage(), clip);
    const storedBefore = (await readdir(join(dir, 'store'), { recursive: true })).length;
    const again = await run(stage(), clip);
    expect(again).toEqual(first);
    expect(await db.query('SELECT count(*)::int AS n FROM c2pa_manifests WHERE clip_id = $1', [clip.id])).toEqual([{ n: 1 }]);
    expect((await readdir(join(dir, 'store'), { recursive: true })).length).toBe(storedBefore);
  });

  it('refuses a file other than the approved one, and one above the signing cap, before signing anything', async () => {
    const { clip } = await approvedClip();
    const other = 'f'.repeat(64);
    await expect(run(stage(), { ...clip, mediaSha256: other })).rejects.toMatchObject({ reasonCode: 'RELEASE_MEDIA_MISMATCH' });
    await expect(run(stage(), { ...clip, approvedMediaSha256: null })).rejects.toMatchObject({ reasonCode: 'RELEASE_MEDIA_MISMATCH' });
    const tooBig = await run(stage(1024), clip).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(StageRejection);
    expect(tooBig).toMatchObject({ reasonCode: 'SIGNING_INPUT_TOO_LARGE', message: expect.stringMatching(/above the signing cap C2PA_MAX_SIGN_BYTES=1024; it was not signed/) });
    expect(await manifests.latestForClip(clip.id)).toBeNull();
  });

  it('does not sign a clip whose approval is not on record (retryable, not a release)', async () => {
    const { clip } = await approvedClip({ approve: false });
    await expect(run(stage(), clip)).rejects.toBeInstanceOf(ReleaseEvidenceError);
    expect(await manifests.latestForClip(clip.id)).toBeNull();
  });
});
