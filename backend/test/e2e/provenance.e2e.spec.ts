import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { WATERMARK_ALGORITHM, type VerifyResponseDto } from '@provenant/shared';
import { ProvenantClient } from '@provenant/shared';
import { renderVerifyReport, verifyOnline } from '../../src/cli/commands/verify.command';
import { TRAINED_ALGORITHMIC_MEDIA, closeSharedC2paHost, createCertificateAuthority, readManifest } from '../../src/engines/c2pa';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';
import { FakeTimestampAuthority } from '../fakes/fake-timestamp-authority';
import { makeClip } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

const ffmpeg = resolveFfmpegBinaries().ffmpeg;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const transcode = (args: string[]) => runProcess(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args], { timeoutMs: 60_000 });

/** Flips one byte in the middle of the first mdat box's payload: the media, not the manifest. */
function flipMediaByte(file: Buffer): Buffer {
  const copy = Buffer.from(file);
  for (let at = 0; at + 8 <= copy.length; ) {
    const size = copy.readUInt32BE(at);
    if (copy.toString('latin1', at + 4, at + 8) === 'mdat') {
      const target = at + 8 + Math.floor((size - 8) / 2);
      copy[target] ^= 0xff;
      return copy;
    }
    if (size < 8) break;
    at += size;
  }
  throw new Error('no mdat box found');
}

/**
 * Watermark, C2PA signing and publisher verification through the real api
 * and worker processes: a clip is watermarked before review, signed at
 * release, and then traced back from intact, tampered, stripped and
 * re-encoded copies, and from a copy that leaked out of review.
 */
describe('provenance: watermark, C2PA signing at release, publisher verification', () => {
  let stack: Stack;
  let dir: string;
  let admin: string;
  let creator: User;
  let reviewer: User;
  let publisher: User;
  let publisherKey: string;
  let anchors: string;
  let tsa: FakeTimestampAuthority;
  let tsaAnchors: string;
  const ids: Record<'released' | 'inReview' | 'rejected', string> = { released: '', inReview: '', rejected: '' };
  let released: any;
  let signedFile: string;

  const storedObject = (hash: string) => join(stack.env.DATA_DIR, 'store', 'objects', hash.slice(0, 2), hash.slice(2, 4), hash);
  const verify = async (file: string, as: { token?: string; apiKey?: string } = { apiKey: publisherKey }) => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), basename(file));
    return stack.call<VerifyResponseDto & { message?: string }>('/api/v1/verify', {
      body: form,
      token: as.token,
      headers: as.apiKey ? { 'x-api-key': as.apiKey } : {},
    });
  };
  const decide = async (clipId: string, decision: 'approve' | 'reject', reasonCode: string) => {
    expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId } })).status).toBe(200);
    const res = await stack.call(`/api/v1/review/${clipId}/decision`, { token: reviewer.token, body: { decision, reasonCode } });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provenance-e2e-'));
    // Signatures are time-stamped by an RFC 3161 authority on loopback, trusted through its own CA.
    const tsaCa = await createCertificateAuthority('Provenance E2E TSA CA');
    tsa = await FakeTimestampAuthority.start({ issuer: tsaCa });
    tsaAnchors = tsaCa.certificatePem;
    await writeFile(join(dir, 'tsa-anchors.pem'), tsaAnchors);
    stack = await startStack({
      workers: 1,
      env: {
        LOCAL_GENERATOR_SIZE: '640x360',
        LOCAL_GENERATOR_SECONDS: '3',
        WORKER_CONCURRENCY: '2',
        VERIFY_RATE_BURST: '6',
        VERIFY_RATE_PER_MINUTE: '30',
        C2PA_TSA_URL: tsa.url,
        C2PA_TSA_ANCHORS_PATH: join(dir, 'tsa-anchors.pem'),
      },
    });
    admin = await stack.login();
    [creator, reviewer, publisher] = await Promise.all([stack.userWithRoles(['creator'], admin), stack.userWithRoles(['reviewer'], admin), stack.userWithRoles(['publisher'], admin)]);
    const key = await stack.call('/api/v1/api-keys', { token: admin, body: { name: 'newsroom', userId: publisher.id } });
    expect(key.status).toBe(201);
    publisherKey = key.body.key;

    const upload = new FormData();
    upload.append('generator', 'studio-model-v2');
    // 720p: the watermark is specified to survive a half-size re-encode of release-sized clips (a 640x360 one ends at 320x180, below what it reads).
    upload.append('file', new Blob([await readFile(await makeClip(dir, { width: 1280, height: 720, seconds: 8 }))]), 'upload.mp4');
    const submitted = await stack.call('/api/v1/clips/upload', { token: creator.token, body: upload });
    expect(submitted.status).toBe(202);
    ids.released = submitted.body.id;
    for (const name of ['inReview', 'rejected'] as const) {
      const res = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: `a paper boat on a quiet canal, take ${name}` } });
      expect(res.status).toBe(202);
      ids[name] = res.body.id;
    }
    await Promise.all(Object.values(ids).map((id) => stack.waitForState(id, admin, ['AWAITING_REVIEW'], 180_000)));
    await decide(ids.rejected, 'reject', 'REJECT_DECEPTIVE');
    await decide(ids.released, 'approve', 'APPROVE_POLICY_COMPLIANT');
    released = await stack.waitForState(ids.released, admin, ['RELEASED', 'FAILED'], 120_000);
    anchors = await readFile(join(stack.env.DATA_DIR, 'keys', 'c2pa', 'c2pa-dev-ca.pem'), 'utf8');

    const download = await fetch(`${stack.baseUrl}/api/v1/clips/${ids.released}/download`, { headers: { authorization: `Bearer ${creator.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-provenant-signed')).toBe('true');
    signedFile = join(dir, 'signed.mp4');
    await writeFile(signedFile, Buffer.from(await download.arrayBuffer()));
  }, 300_000);

  afterAll(async () => {
    await closeSharedC2paHost();
    await stack?.stop();
    await tsa?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('watermarks every clip before review: the render is the media reviewers see, its payload registered to the clip', async () => {
    const clip = (await stack.call(`/api/v1/clips/${ids.inReview}`, { token: admin })).body;
    expect(clip.transitions.map((t: { to: string }) => t.to).slice(-2)).toEqual(['ANALYZING', 'AWAITING_REVIEW']);
    expect(clip.checks.watermark).toEqual({ status: 'ran', note: null });
    expect(clip.checks.signing.status).toBe('pending');
    const stage = clip.stages.find((s: { stage: string }) => s.stage === 'watermark');
    expect(stage).toMatchObject({ status: 'succeeded', verdict: 'allow', result: { algorithm: WATERMARK_ALGORITHM, payload: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(stage.result.visibleLabel).toBe(`AI-generated · Provenant · @${creator.id.replace(/-/g, '').slice(0, 8)}`);
    expect(stage.result.sourceSha256).not.toBe(clip.media.sha256);
    expect(sha256(await readFile(storedObject(clip.media.sha256)))).toBe(clip.media.sha256);
    const rows = await stack.db((db) => db.query('SELECT clip_id, payload FROM watermark_payloads ORDER BY created_at').then((r) => r.rows));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.clip_id === ids.inReview).payload).toBe(stage.result.payload);
    expect(new Set(rows.map((r) => r.payload)).size).toBe(3);
  });

  it('releases the approved watermarked file signed: the download reads Trusted with our CA and says what it is', async () => {
    expect(released.state).toBe('RELEASED');
    expect(released.release).toEqual({ sha256: released.media.sha256, signed: true, note: null, releasedAt: expect.any(String) });
    expect(released.checks.signing).toEqual({ status: 'ran', note: null });
    const bytes = await readFile(signedFile);
    expect(sha256(bytes)).toBe(released.release.sha256);
    const watermarkRender = released.stages.find((s: { stage: string }) => s.stage === 'watermark');
    const payload = watermarkRender.result.payload;
    // What the reviewer approved is the watermark render, not the upload.
    const approvedSha256 = await stack.db((db) => db.query('SELECT approved_media_sha256 FROM review_items WHERE clip_id = $1', [ids.released]).then((r) => r.rows[0].approved_media_sha256 as string));
    expect(approvedSha256).not.toBe(watermarkRender.result.sourceSha256);

    const report = await readManifest(signedFile, { trustAnchorsPem: anchors, timestampAnchorsPem: tsaAnchors });
    expect(report).toMatchObject({ state: 'Trusted', failures: [], signer: { commonName: 'Provenant Development Signer', timestampedAt: expect.any(String) } });
    expect(released.stages.find((s: { stage: string }) => s.stage === 'signing').result).toMatchObject({ signed: true, timestamped: true, watermarkPayload: payload });
    expect(tsa.tokensGranted).toBeGreaterThanOrEqual(1);
    expect(report.claims!.actions).toEqual([
      { action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, softwareAgent: 'studio-model-v2' },
      { action: 'c2pa.watermarked.bound', digitalSourceType: null, softwareAgent: 'Provenant' },
    ]);
    expect(report.claims!.softBindings).toEqual([{ algorithm: WATERMARK_ALGORITHM, value: payload }]);
    expect(report.claims!.hasThumbnail).toBe(true);
    const approval = await stack.db((db) =>
      db
        .query(`SELECT seq::int AS seq FROM audit_events WHERE subject_id = $1 AND action = 'review.decision' ORDER BY id DESC LIMIT 1`, [ids.released])
        .then((r) => r.rows[0].seq as number),
    );
    const review = report.claims!.review!;
    expect(review).toMatchObject({ clipId: ids.released, source: 'upload', decision: 'approved', approvals: 1, auditSeq: approval, policyVersion: expect.any(String) });
    expect(Number(String(review.checkpoint).split('\n')[1])).toBeGreaterThanOrEqual(approval);
    expect(review.checkVerdicts).toMatchObject({ watermark: 'allow' });
    // No personal data: neither the creator's e-mail nor any user id is in the manifest.
    const manifestText = JSON.stringify(report.claims);
    for (const id of [creator.id, reviewer.id]) expect(manifestText).not.toContain(id);

    // The signed file is the approved (watermarked) render plus a manifest, nothing else: same frames.
    const frames = async (file: string) => (await runProcess(ffmpeg, ['-v', 'error', '-i', file, '-map', '0:v', '-f', 'md5', '-'], { timeoutMs: 60_000 })).stdout.toString();
    expect(await frames(signedFile)).toBe(await frames(storedObject(approvedSha256)));

    // The manifest store finds it by clip, by signed hash and by payload.
    const stored = await stack.db((db) => db.query('SELECT clip_id, signed_sha256, approved_sha256, watermark_payload FROM c2pa_manifests').then((r) => r.rows));
    expect(stored).toEqual([{ clip_id: ids.released, signed_sha256: released.release.sha256, approved_sha256: approvedSha256, watermark_payload: payload }]);
  });

  it('verifies the intact file by its manifest: Trusted, ours, released under a policy', async () => {
    const res = await verify(signedFile);
    expect(res.status).toBe(200);
    expect(res.body.c2pa).toMatchObject({ state: 'Trusted', failures: [] });
    expect(res.body.origin).toMatchObject({ clipId: ids.released, recoveredBy: 'c2pa', originalManifest: { signedSha256: released.release.sha256 } });
    expect(res.body.watermark).toBeNull();
    expect(res.body.release).toMatchObject({ status: 'released', releasedAt: released.release.releasedAt, policyVersion: expect.any(String), releasedSha256: released.release.sha256, leak: false });
    const audit = await stack.db((db) => db.query(`SELECT actor, body FROM audit_events WHERE action = 'clip.verified' AND subject_id = $1`, [ids.released]).then((r) => r.rows));
    expect(audit[0]).toMatchObject({ actor: expect.stringMatching(/^apikey:/), body: { c2paState: 'Trusted', recoveredBy: 'c2pa', releaseStatus: 'released', leak: false } });
  });

  it('a flipped media byte breaks the manifest (bmffHash mismatch), and the watermark still finds the clip', async () => {
    const tampered = join(dir, 'tampered.mp4');
    await writeFile(tampered, flipMediaByte(await readFile(signedFile)));
    const res = await verify(tampered);
    expect(res.status).toBe(200);
    expect(res.body.c2pa.state).toBe('Invalid');
    expect(res.body.c2pa.failures).toContain('assertion.bmffHash.mismatch');
    expect(res.body.origin).toMatchObject({ clipId: ids.released, recoveredBy: 'watermark', originalManifest: { signedSha256: released.release.sha256 } });
    expect(res.body.origin.message).toMatch(/invalid .*here is the original manifest/);
    expect(res.body.release).toMatchObject({ status: 'released', leak: false });
  });

  it('a re-mux that drops the manifest (ffmpeg -c copy) is traced back through the watermark, also from the CLI', async () => {
    const remuxed = join(dir, 'remuxed.mp4');
    await transcode(['-i', signedFile, '-map', '0', '-c', 'copy', remuxed]);
    const answer = (await verifyOnline(remuxed, new ProvenantClient({ server: stack.baseUrl, token: publisherKey }))) as unknown as VerifyResponseDto;
    expect(answer.c2pa).toMatchObject({ state: 'absent', failures: [] });
    expect(answer.watermark).toMatchObject({ found: true, confidence: expect.any(Number) });
    expect(answer.origin).toMatchObject({ clipId: ids.released, recoveredBy: 'watermark' });
    expect(answer.origin.message).toMatch(/credentials were stripped; .*here is the original manifest/);
    expect(answer.origin.originalManifest!.manifest).toMatchObject({ assertions: expect.any(Array) });
    expect(answer.release.status).toBe('released');
  });

  it('a CRF 28 re-encode at half size is traced back through the watermark', async () => {
    const reencoded = join(dir, 'crf28-half.mp4');
    await transcode(['-i', signedFile, '-vf', 'scale=iw/2:-2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-c:a', 'copy', reencoded]);
    const res = await verify(reencoded, { token: publisher.token });
    expect(res.status).toBe(200);
    expect(res.body.c2pa.state).toBe('absent');
    expect(res.body.origin).toMatchObject({ clipId: ids.released, recoveredBy: 'watermark' });
    expect(res.body.release.status).toBe('released');
  });

  it('a copy of a clip still in review, or rejected, is reported loudly as a leak', async () => {
    for (const [name, state, words] of [
      ['inReview', 'AWAITING_REVIEW', /LEAK: .* is still awaiting review/],
      ['rejected', 'REJECTED', /LEAK: .* was rejected in review/],
    ] as const) {
      const clip = (await stack.call(`/api/v1/clips/${ids[name]}`, { token: admin })).body;
      const res = await verify(storedObject(clip.media.sha256), { token: admin });
      expect(res.status).toBe(200);
      expect(res.body.c2pa.state).toBe('absent');
      expect(res.body.origin).toMatchObject({ clipId: ids[name], recoveredBy: 'watermark', originalManifest: null });
      expect(res.body.release).toMatchObject({ status: 'never_released', clipState: state, leak: true, message: expect.stringMatching(words) });
      expect(renderVerifyReport(res.body)).toContain(`!!! ${res.body.release.message}`);
    }
  });

  it('an unrelated, unmarked clip leads nowhere and was never released; a non-MP4 is refused; nothing is left behind', async () => {
    const unrelated = await makeClip(dir, { width: 640, height: 360, seconds: 2, name: 'unrelated.mp4' });
    const res = await verify(unrelated);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      c2pa: { state: 'absent', failures: [] },
      watermark: { found: false, payload: null },
      origin: { clipId: null, recoveredBy: null, originalManifest: null },
      release: { status: 'never_released', leak: false },
    });
    const unknown = await stack.db((db) => db.query(`SELECT subject_type, subject_id FROM audit_events WHERE action = 'verify.unknown'`).then((r) => r.rows));
    expect(unknown).toContainEqual({ subject_type: 'file', subject_id: sha256(await readFile(unrelated)) });

    // An MP4 cut short (header intact, media data missing) is answered, not crashed on.
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, (await readFile(signedFile)).subarray(0, 64 * 1024));
    const cut = await verify(truncated);
    expect(cut.status).toBe(200);
    expect(['Invalid', 'absent']).toContain(cut.body.c2pa.state);

    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'this is not a video at all, just some words\n');
    const refused = await verify(text);
    expect(refused.status).toBe(415);
    expect(refused.body.message).toBe('file: the uploaded file is not an MP4/MOV (ISO BMFF) file: it does not start with an ftyp box');
    const zeroBytes = join(dir, 'empty.mp4');
    await writeFile(zeroBytes, '');
    const empty = await verify(zeroBytes, { token: publisher.token });
    expect(empty.status).toBe(415);
    // No server path (the scratch file's) in what the caller reads.
    expect(JSON.stringify(empty.body)).not.toMatch(/\/(store|scratch|tmp)\/|DATA_DIR/);
    expect(JSON.stringify(empty.body)).not.toContain(stack.env.DATA_DIR);
    expect((await stack.call('/api/v1/verify', { headers: { 'x-api-key': publisherKey }, body: new FormData() })).status).toBe(400);
    expect(await readdir(join(stack.env.DATA_DIR, 'store', 'scratch'))).toEqual([]);
  });

  it('limits each caller’s rate with 429 and Retry-After', async () => {
    const hurried = await stack.userWithRoles(['publisher'], admin);
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([Buffer.from('not a video')]), 'x.mp4');
      return f;
    };
    const answers = await Promise.all(Array.from({ length: 9 }, () => stack.call('/api/v1/verify', { token: hurried.token, body: form() })));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 415).length).toBeLessThanOrEqual(6);
    // Another caller has a bucket of its own.
    expect((await verify(join(dir, 'notes.mp4'))).status).toBe(415);
  });

  it('never calls a clip released without a signature', async () => {
    const rows = await stack.db((db) =>
      db
        .query(`SELECT c.id, s.result FROM clips c LEFT JOIN stage_results s ON s.clip_id = c.id AND s.stage = 'signing' AND s.status = 'succeeded' WHERE c.state = 'RELEASED'`)
        .then((r) => r.rows),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.result).toMatchObject({ signed: true, note: null });
  });
});
