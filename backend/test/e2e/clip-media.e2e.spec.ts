import { createHash } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Watching a clip before release through the real api and worker: the
 * watermarked render, whole or by byte range, never cached, never the
 * unmarked source, and each viewing audited once.
 */
describe('GET /clips/:id/media', () => {
  let stack: Stack;
  let admin: string;
  let creator: { id: string; token: string };
  let otherCreator: { id: string; token: string };
  let reviewer: { id: string; token: string };
  let clipId: string;
  let render: { sha256: string; bytes: number };
  let sourceSha256: string;

  const media = (id: string, token: string, range?: string) =>
    fetch(`${stack.baseUrl}/api/v1/clips/${id}/media`, { headers: { authorization: `Bearer ${token}`, ...(range ? { range } : {}) } });
  const viewings = () =>
    stack.db((db) => db.query(`SELECT actor, body FROM audit_events WHERE action = 'clip.media_viewed' AND subject_id = $1 ORDER BY id`, [clipId]).then((r) => r.rows));

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await stack.login();
    [creator, otherCreator, reviewer] = await Promise.all([stack.userWithRoles(['creator'], admin), stack.userWithRoles(['creator'], admin), stack.userWithRoles(['reviewer'], admin)]);
    const submitted = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: 'a paper boat drifting down a gutter stream' } });
    clipId = submitted.body.id;
    const clip = await stack.waitForState(clipId, admin, ['AWAITING_REVIEW'], 180_000);
    render = clip.media;
    sourceSha256 = clip.stages.find((s: { stage: string }) => s.stage === 'watermark').result.sourceSha256;
  }, 240_000);
  afterAll(() => stack?.stop());

  it('serves the whole watermarked render, uncached, and audits the viewing', async () => {
    const res = await media(clipId, reviewer.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(Number(res.headers.get('content-length'))).toBe(render.bytes);
    const body = Buffer.from(await res.arrayBuffer());
    expect(sha256(body)).toBe(render.sha256);
    expect(render.sha256).not.toBe(sourceSha256);
    expect(await viewings()).toEqual([{ actor: `user:${reviewer.id}`, body: { sha256: render.sha256, bytes: render.bytes, state: 'AWAITING_REVIEW' } }]);
  });

  it('answers byte ranges with 206 so a player can seek; only a range from byte 0 starts a new viewing', async () => {
    const whole = Buffer.from(await (await media(clipId, reviewer.token)).arrayBuffer());
    const before = (await viewings()).length;

    const middle = await media(clipId, reviewer.token, 'bytes=100-1099');
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-1099/${render.bytes}`);
    expect(middle.headers.get('content-length')).toBe('1000');
    expect(middle.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await middle.arrayBuffer()).equals(whole.subarray(100, 1100))).toBe(true);

    const tail = await media(clipId, reviewer.token, 'bytes=-10');
    expect(tail.headers.get('content-range')).toBe(`bytes ${render.bytes - 10}-${render.bytes - 1}/${render.bytes}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-10))).toBe(true);
    expect((await viewings()).length).toBe(before);

    const fromStart = await media(clipId, reviewer.token, 'bytes=0-');
    expect(fromStart.status).toBe(206);
    expect(fromStart.headers.get('content-range')).toBe(`bytes 0-${render.bytes - 1}/${render.bytes}`);
    await fromStart.arrayBuffer();
    expect((await viewings()).slice(before).map((v) => v.actor)).toEqual([`user:${reviewer.id}`]);
  });

  it('refuses a range outside the file with 416, naming the header, and records no viewing', async () => {
    const before = (await viewings()).length;
    const res = await media(clipId, reviewer.token, `bytes=${render.bytes}-`);
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${render.bytes}`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect((await res.json()).message).toBe(`range: starts at byte ${render.bytes}, beyond the file's ${render.bytes} bytes`);
    const several = await media(clipId, reviewer.token, 'bytes=0-1,4-5');
    expect(several.status).toBe(416);
    expect((await several.json()).message).toBe('range: only one byte range per request is served');
    expect((await viewings()).length).toBe(before);
  });

  it('never serves the unmarked source, nor an unreleased render to creators, even their own', async () => {
    // A clip whose watermark render has not run: its media is still the source file.
    const unrendered = await stack.db(async (db) => {
      const { rows } = await db.query(
        `INSERT INTO clips (state, source, prompt, created_by, flagged, media_sha256, media)
         SELECT 'ANALYZING', 'prompt', 'not yet rendered', created_by, false, $2, jsonb_set(media, '{sha256}', to_jsonb($2::text)) FROM clips WHERE id = $1 RETURNING id`,
        [clipId, sourceSha256],
      );
      return rows[0].id as string;
    });
    const res = await media(unrendered, reviewer.token);
    expect(res.status).toBe(409);
    expect((await res.json()).message).toBe(`clip ${unrendered} is ANALYZING and has no watermarked render to watch yet`);

    for (const who of [creator, otherCreator]) expect((await media(clipId, who.token)).status).toBe(403);
    expect((await viewings()).map((v) => v.actor)).not.toContain(`user:${creator.id}`);
  });
});
