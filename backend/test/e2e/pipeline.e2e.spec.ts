import { Queue } from 'bullmq';
import { startStack, type Stack } from '../support/stack';

describe('prompt clip through the real api and worker processes', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    token = await stack.login();
  });
  afterAll(() => stack?.stop());

  it('goes from submission through local generation to AWAITING_REVIEW, recording each step', async () => {
    const sse = await fetch(`${stack.baseUrl}/api/v1/clips/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const reader = sse.body!.getReader();
    const seen: string[] = [];
    const collecting = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const line of decoder.decode(value).split('\n')) if (line.startsWith('data:')) seen.push(JSON.parse(line.slice(5)).state);
      }
    })().catch(() => undefined);

    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'A rainy city street at dusk, neon reflections' } });
    expect(submitted.status).toBe(202);
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED']);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.transitions.map((t: { to: string }) => t.to)).toEqual(['SUBMITTED', 'PROMPT_CHECK', 'GENERATING', 'ANALYZING', 'AWAITING_REVIEW']);
    // The prompt checks run side by side, and so do the checks and the render after media analysis: their order is either.
    expect(clip.stages.map((s: { stage: string; status: string }) => `${s.stage}:${s.status}`).sort()).toEqual([
      'clip_likeness:succeeded',
      'clip_moderation:succeeded',
      'generate:succeeded',
      'media_analysis:succeeded',
      'prompt_likeness:succeeded',
      'prompt_moderation:succeeded',
      'watermark:succeeded',
    ]);
    expect(clip.stages.slice(2, 4).map((s: { stage: string }) => s.stage)).toEqual(['generate', 'media_analysis']);
    expect(clip.media).toMatchObject({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 240 });
    expect(clip.generator).toMatch(/^local/);
    const analysis = clip.stages.find((s: { stage: string }) => s.stage === 'media_analysis');
    expect(analysis.result.frames.length).toBeGreaterThanOrEqual(2);
    // Checks that this build does not have, or has only in part, say so; nothing pretends they ran. C2PA signing comes at release.
    expect(clip.checks.copyright).toEqual({ status: 'not_available', note: expect.stringContaining('not available in this build') });
    expect(clip.checks.likeness).toEqual({ status: 'ran', note: expect.stringMatching(/^likeness: a WebP reference image is not checked for faces; faces are looked for in up to 30 of the frames/) });
    expect([clip.checks.moderation.status, clip.checks.watermark.status, clip.checks.signing.status]).toEqual(['ran', 'ran', 'pending']);

    // Every transition has exactly one audit event, in order.
    const audit = await stack.db((db) =>
      db.query(`SELECT action, body FROM audit_events WHERE subject_id = $1 ORDER BY id`, [clip.id]).then((r) => r.rows),
    );
    expect(audit.filter((e) => e.action === 'clip.transition').map((e) => e.body.to)).toEqual(clip.transitions.slice(1).map((t: { to: string }) => t.to));
    expect(audit.filter((e) => e.action === 'stage.completed')).toHaveLength(7);

    await stack.waitFor(async () => seen.includes('AWAITING_REVIEW'), 5000, 'the SSE stream to report AWAITING_REVIEW');
    expect(seen).toEqual(expect.arrayContaining(['GENERATING', 'ANALYZING', 'AWAITING_REVIEW']));
    await reader.cancel();
    await collecting;
  });

  it('a duplicated stage job changes nothing twice', async () => {
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'duplicate delivery test' } });
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW']);
    const before = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1`, [clip.id]).then((r) => r.rows[0].n));
    const queue = new Queue('stage-generate', { connection: { host: '127.0.0.1', port: 6379 }, prefix: stack.env.QUEUE_PREFIX });
    const job = await queue.add('stage-generate', { clipId: clip.id, stage: 'generate' }, { jobId: `${clip.id}__generate__replay` });
    await stack.waitFor(async () => (await job.getState()) === 'completed', 20_000, 'the replayed job to finish');
    expect(await job.getState()).toBe('completed');
    await queue.close();
    const after = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = $1`, [clip.id]).then((r) => r.rows[0].n));
    expect(after).toBe(before);
    expect((await stack.call(`/api/v1/clips/${clip.id}`, { token })).body.state).toBe('AWAITING_REVIEW');
  });

  it('lists clips with state filter and cursor pagination', async () => {
    const page1 = await stack.call('/api/v1/clips?limit=1&state=AWAITING_REVIEW', { token });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await stack.call(`/api/v1/clips?limit=1&state=AWAITING_REVIEW&cursor=${page1.body.nextCursor}`, { token });
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect((await stack.call('/api/v1/clips?state=NOPE', { token })).body.message).toMatch(/state: unknown clip state/);
    expect((await stack.call('/api/v1/clips?cursor=garbage', { token })).status).toBe(400);
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await stack.call('/health/live')).status).toBe(200);
    expect((await stack.call('/health/ready')).body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    const metrics = await stack.call('/metrics', { token });
    expect(metrics.body).toContain('provenant_queue_jobs');
    expect(metrics.body).toContain('provenant_clips{state="AWAITING_REVIEW"}');
    expect((await stack.call('/api/docs-json')).body.paths['/api/v1/clips']).toBeDefined();
  });
});
