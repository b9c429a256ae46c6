import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { WATERMARK_ALGORITHM } from '@provenant/shared';
import { resolveFfmpegBinaries, MediaProber, runProcess } from '../../../engines/media';
import { LocalContentStore } from '../../../engines/storage/local-content-store';
import { WatermarkDetector, WatermarkEmbedder, WatermarkKey } from '../../../engines/watermark';
import { WatermarkPayloads } from '../../provenance/watermark-payloads';
import { WatermarkPayloadRepository } from '../../provenance/watermark-payload.repository';
import { loadConfig } from '../../../config/app-config';
import { StageRejection, type StageClip } from '../pipeline-stage';
import { PriorProvenanceFindings } from '../prior-provenance-findings';
import { StageResultRepository } from '../stage-result.repository';
import { WatermarkStage, type VisibleMarkPolicy, type WatermarkStageResult } from './watermark.stage';
import { stageClip } from '../stage-clip.spec-helper';

/** The watermark stage with real ffmpeg, the real engine, a real content store and the payload registry on the test run's Postgres. */
describe('WatermarkStage', () => {
  const bins = resolveFfmpegBinaries();
  const key = WatermarkKey.fromHex('5a'.repeat(32));
  const prober = new MediaProber(bins, { timeoutMs: 60_000 });
  const visible: VisibleMarkPolicy = { enabled: true, platform: 'Provenant', opacity: 0.6, sizeRatio: 0.035, cornerSeconds: 4 };
  let db: DataSource;
  let dir: string;
  let store: LocalContentStore;
  let creatorId: string;
  let clipSha256: string;

  const detector = new WatermarkDetector(bins, { timeoutMs: 60_000 });
  const stage = (policy = visible, embedder = new WatermarkEmbedder(bins, { timeoutMs: 120_000 })) => new WatermarkStage(embedder, detector, key, new WatermarkPayloads(db, new WatermarkPayloadRepository()), new PriorProvenanceFindings(db, new StageResultRepository()), prober, policy);
  const newClip = async (mediaSha256: string): Promise<StageClip> => {
    const [{ id }] = await db.query(`INSERT INTO clips (state, source, created_by, flagged, media_sha256) VALUES ('ANALYZING', 'upload', $1, false, $2) RETURNING id`, [creatorId, mediaSha256]);
    return stageClip({ id, mediaSha256 });
  };
  const run = (s: WatermarkStage, clip: StageClip) => s.run({ clip, store, signal: new AbortController().signal, attempt: 1, framesWanted: new Set() });

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    [{ id: creatorId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@wm-stage.test`]);
    dir = await mkdtemp(join(tmpdir(), 'wm-stage-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
    const source = join(dir, 'source.mp4');
    await runProcess(
      bins.ffmpeg,
      ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2']
        .concat(['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', source]),
      { timeoutMs: 60_000 },
    );
    clipSha256 = await store.commit(await store.stageFile(source));
  });
  afterAll(async () => {
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('renders the clip with its registered payload and the label, and returns the render as the new media', async () => {
    const clip = await newClip(clipSha256);
    const outcome = await run(stage(), clip);
    const [{ payload }] = await db.query('SELECT payload FROM watermark_payloads WHERE clip_id = $1', [clip.id]);
    expect(outcome.verdict).toBe('allow');
    expect(outcome.result).toMatchObject({
      algorithm: WATERMARK_ALGORITHM,
      payload,
      visibleLabel: `AI-generated · Provenant · @${creatorId.replace(/-/g, '').slice(0, 8)}`,
      sourceSha256: clipSha256,
      audioCopied: true,
      encoding: { preset: 'veryfast', crf: 18 },
      // 2 s at 25 fps is shorter than the read-back's sample: read once, every frame.
      readBack: { found: true, scope: 'full', framesAnalysed: 50 },
    });
    expect((outcome.result as WatermarkStageResult).readBack.bitAccuracy).toBeGreaterThan(0.9);
    expect(outcome.result).not.toHaveProperty('note');
    expect(outcome.result).toMatchObject({ markedOver: null });
    expect(outcome.media!.sha256).not.toBe(clipSha256);
    expect(outcome.media!.info).toMatchObject({ sha256: outcome.media!.sha256, width: 480, height: 270, videoCodec: 'h264', audioCodec: 'aac' });
    const detected = await detector.detect({ input: store.localPath(outcome.media!.sha256), key });
    expect(detected).toMatchObject({ found: true, payload });

    // A retried job embeds the same identifier: one payload per clip.
    const again = await run(stage({ ...visible, enabled: false }), clip);
    expect(again.result).toMatchObject({ payload, visibleLabel: null });
    expect(await db.query('SELECT count(*)::int AS n FROM watermark_payloads WHERE clip_id = $1', [clip.id])).toEqual([{ n: 1 }]);
  });

  it('records, before marking, that the source already carried the mark of another clip (as prior_provenance read it)', async () => {
    const original = await newClip(clipSha256);
    const first = await run(stage(), original);
    const copy = await newClip(first.media!.sha256);
    const originalPayload = (first.result as WatermarkStageResult).payload;
    const finding = { found: 'watermark', c2paState: 'absent', watermark: { found: true, payload: originalPayload, confidence: 1 }, originalClipId: original.id, originalState: 'AWAITING_REVIEW', sameCreator: false, note: 'copy' };
    await db.query(
      `INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, started_at, finished_at) VALUES ($1, 'prior_provenance', 'succeeded', 'review', 1, $2, now(), now())`,
      [copy.id, JSON.stringify(finding)],
    );
    const outcome = await run(stage(), copy);
    const result = outcome.result as WatermarkStageResult;
    expect(result.payload).not.toBe(originalPayload);
    expect(result.markedOver).toEqual({ originalClipId: original.id, payload: originalPayload });
    expect(result.note).toContain(`the source already carried the watermark of clip ${original.id} (payload ${originalPayload})`);
  });

  it('flags the clip for review when the mark cannot be read back from the render (a picture that is high-contrast texture everywhere)', async () => {
    const busy = join(dir, 'cellauto.mp4');
    await runProcess(
      bins.ffmpeg,
      ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'cellauto=s=480x270:r=25:rule=30:random_seed=1:scroll=1,format=yuv420p', '-t', '1']
        .concat(['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', busy]),
      { timeoutMs: 60_000 },
    );
    const outcome = await run(stage(), await newClip(await store.commit(await store.stageFile(busy))));
    expect(outcome.verdict).toBe('review');
    expect(outcome.result).toMatchObject({ readBack: { found: false, scope: 'full', bitAccuracy: null }, note: expect.stringMatching(/cannot be read back/) });
    expect(outcome.media).toBeDefined();
  });

  it('renders with the configured preset, CRF and marking threads', async () => {
    const cfg = loadConfig({ WATERMARK_PRESET: 'faster', WATERMARK_CRF: '20', WATERMARK_THREADS: '1' });
    const embedder = new WatermarkEmbedder(bins, { timeoutMs: 120_000, encoding: { preset: cfg.WATERMARK_PRESET, crf: cfg.WATERMARK_CRF }, markingThreads: cfg.WATERMARK_THREADS });
    const outcome = await run(stage(visible, embedder), await newClip(clipSha256));
    expect(outcome).toMatchObject({ verdict: 'allow', result: { encoding: { preset: 'faster', crf: 20 }, readBack: { found: true } } });
  });

  it('gives every clip its own payload', async () => {
    const [a, b] = [await newClip(clipSha256), await newClip(clipSha256)];
    const payloads = new WatermarkPayloads(db, new WatermarkPayloadRepository());
    const [pa, pb] = [await payloads.assign(a.id), await payloads.assign(b.id)];
    expect(pa.payloadHex).toMatch(/^[0-9a-f]{16}$/);
    expect(pa.payloadHex).not.toBe(pb.payloadHex);
    expect(await payloads.clipFor(pb.payloadHex.toUpperCase())).toBe(b.id);
    expect(await payloads.clipFor('0000000000000000')).toBeNull();
  });

  it('refuses a file that is not a video, or too small to carry the mark, as a final rejection', async () => {
    const text = join(dir, 'notes.bin');
    await writeFile(text, 'definitely not a video stream\n'.repeat(20));
    const textClip = await newClip(await store.commit(await store.stageFile(text)));
    await expect(run(stage(), textClip)).rejects.toEqual(expect.objectContaining({ name: 'StageRejection', reasonCode: 'WATERMARK_FAILED', message: expect.stringMatching(/^NOT_VIDEO: /) }));

    const tiny = join(dir, 'tiny.mp4');
    await runProcess(bins.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=16x16:rate=10', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', tiny], { timeoutMs: 30_000 });
    const tinyClip = await newClip(await store.commit(await store.stageFile(tiny)));
    const refusal = await run(stage(), tinyClip).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(StageRejection);
    expect((refusal as StageRejection).message).toMatch(/^TOO_SMALL: 16x16 is too small to watermark/);
  });
});
