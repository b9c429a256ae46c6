import { PrivateRedis } from '../support/private-redis';
import { startStack, type Stack } from '../support/stack';

describe('nothing accepted is lost', () => {
  let stack: Stack;
  // A private redis-server, so the test can make Redis really unreachable without disturbing anything else.
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await PrivateRedis.create();
    stack = await startStack({ workers: 1, env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('a clip answered with 202 while Redis is down runs once Redis is back', async () => {
    const token = await stack.login();
    await redis.stop();
    expect((await stack.call('/health/ready')).status).toBe(503);
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'submitted during a redis outage' } });
    expect(submitted.status).toBe(202);
    const pending = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`).then((r) => r.rows[0].n));
    expect(pending).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1500));
    // The prompt check is the first stage; its job waits in the outbox until Redis is back.
    expect((await stack.call(`/api/v1/clips/${submitted.body.id}`, { token })).body.state).toBe('PROMPT_CHECK');

    await redis.start();
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED'], 90_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
  });

  it('a clip survives the api dying right after answering 202', async () => {
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'api killed after accepting' } });
    expect(submitted.status).toBe(202);
    stack.api!.kill('SIGKILL');
    // The worker's relay delivers the job the api never handed to Redis.
    const clip = await stack.db(async (db) => {
      for (let i = 0; i < 600; i++) {
        const { rows } = await db.query(`SELECT state FROM clips WHERE id = $1`, [submitted.body.id]);
        if (rows[0].state === 'AWAITING_REVIEW' || rows[0].state === 'FAILED') return rows[0];
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`clip stuck: ${stack.logs()}`);
    });
    expect(clip.state).toBe('AWAITING_REVIEW');
    stack.startApi();
    await stack.waitFor(async () => (await fetch(`${stack.baseUrl}/health/live`).catch(() => null))?.ok === true, 30_000, 'api restart');
  });
});

describe('a worker killed mid-job (kill -9)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Long enough generation to be caught mid-job; short locks so the stalled job is noticed quickly.
    stack = await startStack({ workers: 1, env: { LOCAL_GENERATOR_SECONDS: '20', LOCAL_GENERATOR_SIZE: '640x360', JOB_LOCK_MS: '3000', STALLED_INTERVAL_MS: '1500' } });
  });
  afterAll(() => stack?.stop());

  it('leaves no clip stuck: another worker runs the job again', async () => {
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'worker crash recovery' } });
    const active = await stack.db(async (db) => {
      for (let i = 0; i < 300; i++) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1 AND dispatched_at IS NOT NULL`, [`${submitted.body.id}__generate`]);
        if (rows[0].n) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    });
    expect(active).toBe(true);
    await new Promise((r) => setTimeout(r, 1500)); // let the worker start ffmpeg
    const victim = stack.workers[0];
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    expect((await stack.call(`/api/v1/clips/${submitted.body.id}`, { token })).body.state).toBe('GENERATING');

    stack.startWorker();
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED'], 120_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.stages.find((s: { stage: string }) => s.stage === 'generate').status).toBe('succeeded');
    // A 20 s clip is also moderated and watermarked (a full re-encode) before review.
  }, 180_000);

  it('a worker killed while clip moderation and the render run side by side: the clip reaches review exactly once', async () => {
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'worker crash in the middle of the checks' } });
    const id = submitted.body.id as string;
    // Media analysis done: both stages that need it have been enqueued together and are running.
    await stack.waitFor(
      () => stack.db((db) => db.query(`SELECT 1 FROM stage_results WHERE clip_id = $1 AND stage = 'media_analysis' AND status = 'succeeded'`, [id]).then((r) => r.rows.length === 1)),
      120_000,
      'media analysis to finish',
    );
    const victim = stack.workers[stack.workers.length - 1];
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    expect((await stack.call(`/api/v1/clips/${id}`, { token })).body.state).toBe('ANALYZING');

    stack.startWorker();
    const clip = await stack.waitForState(id, token, ['AWAITING_REVIEW', 'FAILED'], 120_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.transitions.filter((t: { to: string }) => t.to === 'AWAITING_REVIEW')).toHaveLength(1);
    const completions = await stack.db((db) =>
      db
        .query(`SELECT body->>'stage' AS stage, count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'stage.completed' AND body->>'late' IS NULL GROUP BY 1 ORDER BY 1`, [id])
        .then((r) => r.rows),
    );
    expect(completions).toEqual([
      { stage: 'clip_likeness', n: 1 },
      { stage: 'clip_moderation', n: 1 },
      { stage: 'generate', n: 1 },
      { stage: 'media_analysis', n: 1 },
      { stage: 'prompt_likeness', n: 1 },
      { stage: 'prompt_moderation', n: 1 },
      { stage: 'watermark', n: 1 },
    ]);
  }, 240_000);
});

describe('graceful worker shutdown (SIGTERM)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { LOCAL_GENERATOR_SECONDS: '20', LOCAL_GENERATOR_SIZE: '640x360', JOB_LOCK_MS: '3000', STALLED_INTERVAL_MS: '1500', SHUTDOWN_GRACE_MS: '1000' } });
  });
  afterAll(() => stack?.stop());

  it('hands a job that outlasts the grace period back, exits cleanly, and the job completes elsewhere', async () => {
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'graceful shutdown' } });
    await stack.waitForState(submitted.body.id, token, ['GENERATING']);
    await new Promise((r) => setTimeout(r, 2000)); // the job is running
    const worker = stack.workers[0];
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    const t0 = Date.now();
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await stack.call(`/api/v1/clips/${submitted.body.id}`, { token })).body.state).toBe('GENERATING');
    stack.startWorker();
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED'], 120_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
  }, 180_000);
});
