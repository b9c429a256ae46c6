import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { makeClip, makeHostileCorpus } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

async function uploadForm(file: string, fields: Record<string, string> = {}): Promise<FormData> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([await readFile(file)]), basename(file));
  return form;
}

describe('intake: uploads and prompts, limits and hostile input', () => {
  let stack: Stack;
  let token: string;
  let dir: string;
  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { MAX_UPLOAD_BYTES: String(3 * 1024 * 1024), MAX_DURATION_SECONDS: '5', MAX_PROMPT_CHARS: '200', MAX_PIXELS_PER_SECOND: String(1280 * 720 * 50) } });
    token = await stack.login();
    dir = await mkdtemp(join(tmpdir(), 'intake-'));
  });
  afterAll(() => stack?.stop());

  /** Rows, jobs and stored files: what a refused request must not leave behind. */
  const footprint = () =>
    stack.db(async (db) => ({
      clips: (await db.query('SELECT count(*)::int AS n FROM clips')).rows[0].n,
      outbox: (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n,
      scratch: (await readdir(join(stack.env.DATA_DIR, 'store', 'scratch'))).length,
      objects: (await readdir(join(stack.env.DATA_DIR, 'store', 'objects')).catch(() => [])).length,
    }));

  it('accepts an H.264/AAC upload, hashes and probes it, and runs it to review', async () => {
    const file = await makeClip(dir, { seconds: 2, width: 320, height: 240 });
    const res = await stack.call('/api/v1/clips/upload', { token, body: await uploadForm(file, { prompt: 'made elsewhere', generator: 'Sora 2' }) });
    expect(res.status).toBe(202);
    const clip = await stack.waitForState(res.body.id, token, ['AWAITING_REVIEW', 'FAILED']);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.source).toBe('upload');
    expect(clip.generator).toBe('Sora 2');
    // The clip's media is now the watermarked render of exactly the uploaded file.
    const watermark = clip.stages.find((s: { stage: string }) => s.stage === 'watermark');
    expect(watermark.result.sourceSha256).toBe(require('node:crypto').createHash('sha256').update(await readFile(file)).digest('hex'));
    expect(clip.media.sha256).not.toBe(watermark.result.sourceSha256);
    expect(clip.transitions.map((t: { to: string }) => t.to)).toEqual(['SUBMITTED', 'ANALYZING', 'AWAITING_REVIEW']);
    // prior_provenance, clip_moderation and clip_likeness start side by side after media analysis; the render waits for prior_provenance.
    const started: string[] = clip.stages.map((s: { stage: string }) => s.stage);
    expect(started[0]).toBe('media_analysis');
    expect(started.slice(1).sort()).toEqual(['clip_likeness', 'clip_moderation', 'prior_provenance', 'watermark']);
    expect(started.indexOf('watermark')).toBeGreaterThan(started.indexOf('prior_provenance'));
  });

  it('accepts HEVC in MOV and Opus in MP4', async () => {
    for (const spec of [{ videoCodec: 'hevc', container: 'mov', audio: 'aac' }, { videoCodec: 'h264', container: 'mp4', audio: 'opus' }] as const) {
      const res = await stack.call('/api/v1/clips/upload', { token, body: await uploadForm(await makeClip(dir, spec)) });
      expect(res.status).toBe(202);
    }
  });

  it('refuses every hostile or out-of-limits file with a 4xx naming the problem, leaving nothing behind', async () => {
    const corpus = await makeHostileCorpus(join(dir, 'hostile'));
    const cases: [string, number, RegExp][] = [
      [corpus.truncated.path, 415, /file: /],
      [corpus.zeroBytes.path, 415, /file: .*empty/i],
      [corpus.absurdDimensions.path, 415, /file: .*\d+x\d+|dimension/i],
      [corpus.wrongMagic.path, 415, /file: /],
      [corpus.textAsMp4.path, 415, /file: /],
      [corpus.pngAsMp4.path, 415, /file: /],
      [corpus.vp9Webm.path, 415, /file: /],
      [corpus.audioOnly.path, 415, /file: .*video/i],
      [corpus.corruptSampleTable.path, 415, /file: /],
      [await makeClip(dir, { seconds: 7 }), 422, /file: .*duration/i],
      // A tiny clip at 500 fps costs several normal clips in every frame-based stage.
      [await makeClip(dir, { seconds: 1, width: 640, height: 360, fps: 500, audio: null, name: 'fps-500.mp4' }), 422, /file: frame rate 500 fps exceeds the limit of 60 fps/],
      [await makeClip(dir, { seconds: 1, width: 1280, height: 720, fps: 60, audio: null, name: 'pixel-rate.mp4' }), 422, /file: pixel rate 55296000 pixels\/s \(1280x720 at 60 fps\) exceeds the limit of 46080000/],
      [await makeClip(dir, { seconds: 1, videoCodec: 'av1', audio: null, container: 'mp4', width: 64, height: 64, name: 'ok-av1.mp4' }), 202, /.*/],
    ];
    const before = await footprint();
    for (const [file, status, message] of cases.slice(0, -1)) {
      const res = await stack.call('/api/v1/clips/upload', { token, body: await uploadForm(file) });
      expect({ file: basename(file), status: res.status }).toEqual({ file: basename(file), status });
      expect(res.body.message).toMatch(message);
    }
    expect(await footprint()).toEqual(before);
    const av1 = await stack.call('/api/v1/clips/upload', { token, body: await uploadForm(cases[cases.length - 1][0]) });
    expect(av1.status).toBe(202);
    // Let its pipeline finish, so the next test's before/after footprint sees no other writer.
    await stack.waitForState(av1.body.id, token, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 120_000);
  });

  it('refuses an upload over the byte limit with 413 and no scratch file', async () => {
    const big = await makeClip(dir, { seconds: 4, width: 1280, height: 720, name: 'big.mp4' });
    const before = await footprint();
    const form = new FormData();
    form.append('file', new Blob([await readFile(big), Buffer.alloc(3 * 1024 * 1024)]), 'big.mp4');
    const res = await stack.call('/api/v1/clips/upload', { token, body: form });
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/file: larger than the limit/);
    expect(await footprint()).toEqual(before);
  });

  it('refuses bad multipart bodies and fields', async () => {
    const before = await footprint();
    expect((await stack.call('/api/v1/clips/upload', { token, body: new FormData() })).body.message).toMatch(/file: a video file is required/);
    const ok = await makeClip(dir, { seconds: 1 });
    const badGenerator = await stack.call('/api/v1/clips/upload', { token, body: await uploadForm(ok, { generator: '<script>' }) });
    expect(badGenerator.status).toBe(400);
    const raw = await fetch(`${stack.baseUrl}/api/v1/clips/upload`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'hi' });
    expect(raw.status).toBe(400);
    expect(await footprint()).toEqual(before);
  });

  it('validates prompts and reference images', async () => {
    const before = await footprint();
    const post = (body: unknown) => stack.call('/api/v1/clips', { token, body });
    expect((await post({})).body.message).toMatch(/prompt: must be a string/);
    expect((await post({ prompt: '   ' })).body.message).toMatch(/prompt: must not be empty/);
    expect((await post({ prompt: 'x'.repeat(201) })).body.message).toMatch(/longer than 200/);
    expect((await post({ prompt: 'bell\u0007' })).body.message).toMatch(/control characters/);
    // Refused at intake (400 naming the field), not accepted and then FAILED by a later stage.
    for (const prompt of ['a C1 control \u0085 hides here', 'a CSI \u009b[31m escape', 'a lone surrogate \ud83d here', 'a lone low \udc00 surrogate']) {
      const res = await post({ prompt });
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: expect.stringMatching(/^prompt: (contains control characters|is not valid UTF-8 text)$/) });
    }
    expect((await post({ prompt: 'ok', referenceImageBase64: 'bm90IGFuIGltYWdl' })).body.message).toMatch(/not an allowed image type/);
    // A PNG header declaring 100000 x 100000 pixels: refused from the header, never decoded.
    const bomb = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from('000186a0000186a00806000000', 'hex'), Buffer.alloc(4)]);
    expect((await post({ prompt: 'ok', referenceImageBase64: bomb.toString('base64') })).body.message).toMatch(/over the limit of \d+ pixels/);
    expect(await footprint()).toEqual(before);

    const png = (await makeHostileCorpus(join(dir, 'images'))).pngAsMp4.path; // a real PNG, whatever its name
    const withImage = await post({ prompt: 'pan across this picture', referenceImageBase64: (await readFile(png)).toString('base64') });
    expect(withImage.status).toBe(202);
    const clip = await stack.waitForState(withImage.body.id, token, ['AWAITING_REVIEW', 'FAILED']);
    expect(clip.state).toBe('AWAITING_REVIEW');
  });
});
