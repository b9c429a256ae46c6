import { createServer, type Server } from 'node:net';
import { Queue } from 'bullmq';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { STAGE_NAMES } from '@provenant/shared';
import { databaseUnavailableReason, isDatabaseUnavailable } from '../../src/modules/core/database-errors';
import { stageJobId, stageQueueName } from '../../src/modules/pipeline/pipeline-stage';
import { PrivatePostgres } from '../support/private-postgres';
import { freePort, startStack, type Stack } from '../support/stack';

/** The error `p` rejects with; fails the test if it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('isDatabaseUnavailable, on errors provoked for real', () => {
  let pg: PrivatePostgres;
  let ds: DataSource;
  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    ds = await new DataSource({ type: 'postgres', url: pg.url(), extra: { max: 4 } }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await pg?.destroy();
  });

  it('does not mistake errors of the query, the data or another service for an outage', async () => {
    expect(isDatabaseUnavailable(await rejection(ds.query('SELEC 1')))).toBe(false); // 42601
    expect(isDatabaseUnavailable(await rejection(ds.query('SELECT * FROM no_such_table')))).toBe(false); // 42P01
    expect(isDatabaseUnavailable(await rejection(ds.query('SELECT 1 / 0')))).toBe(false); // 22012
    // An HTTP client's "fetch failed" caused by ECONNREFUSED is that service's outage, not the database's.
    expect(isDatabaseUnavailable(await rejection(fetch(`http://127.0.0.1:${await freePort()}/`)))).toBe(false);
    expect(isDatabaseUnavailable(new Error('clip 123 does not exist'))).toBe(false);
  });

  it('recognises a connection the server terminates (57P01), wrapped in a QueryFailedError', async () => {
    const sleeping = rejection(ds.query(`SELECT pg_sleep(30) AS "terminate me"`));
    const observer = new Client({ connectionString: pg.url() });
    await observer.connect();
    try {
      const victim = `SELECT pid FROM pg_stat_activity WHERE query LIKE '%terminate me%' AND pid <> pg_backend_pid()`;
      for (let i = 0; i < 100 && (await observer.query(victim)).rowCount === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await observer.query(`SELECT pg_terminate_backend(pid) FROM (${victim}) AS v`);
    } finally {
      await observer.end();
    }
    const err = (await sleeping) as Error & { driverError?: { code?: string } };
    expect(err.name).toBe('QueryFailedError');
    expect(err.driverError?.code).toBe('57P01');
    expect(databaseUnavailableReason(err)).toBe('server shutting down');
  });

  it('recognises a query cut off by a crash, then refused connections, then recovers', async () => {
    const cutOff = rejection(ds.query('SELECT pg_sleep(30)'));
    await new Promise((r) => setTimeout(r, 200)); // the query is running
    await pg.stop('immediate');
    const queryFailed = (await cutOff) as Error;
    expect(queryFailed.name).toBe('QueryFailedError');
    expect(databaseUnavailableReason(queryFailed)).toBe('connection terminated');

    expect(databaseUnavailableReason(await rejection(ds.query('SELECT 1')))).toBe('connection refused');
    expect(databaseUnavailableReason(await rejection(ds.transaction((m) => m.query('SELECT 1'))))).toBe('connection refused');
    expect(databaseUnavailableReason(await rejection(new Client({ connectionString: pg.url() }).connect()))).toBe('connection refused');

    await pg.start();
    expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('recognises the pool timing out while connecting to a server that never answers', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${(silent.address() as { port: number }).port}/postgres`, connectionTimeoutMillis: 300 });
    try {
      expect(databaseUnavailableReason(await rejection(pool.query('SELECT 1')))).toBe('timed out');
    } finally {
      await pool.end();
      silent.close();
    }
  });
});

describe('a Postgres outage in the middle of the pipeline', () => {
  const CLIPS = 4;
  let pg: PrivatePostgres;
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    pg = await PrivatePostgres.create();
    stack = await startStack({ workers: 1, postgresServerUrl: pg.serverUrl, env: { SWEEP_INTERVAL_MS: '1000', SWEEP_GRACE_MS: '3000', READINESS_TIMEOUT_MS: '1500' } });
    token = await stack.login();
  }, 120_000);
  afterAll(async () => {
    try {
      if (pg && !pg.isRunning) await pg.start(); // so the stack can drop its database
      await stack?.stop();
    } finally {
      await pg?.destroy();
    }
  }, 60_000);

  /** Stage jobs that were started more often than they were counted as attempts: deferred while the database was away. */
  const deferredJobs = async (): Promise<number> => {
    let n = 0;
    for (const stage of STAGE_NAMES) {
      const queue = new Queue(stageQueueName(stage), { connection: { host: '127.0.0.1', port: 6379 }, prefix: stack.env.QUEUE_PREFIX });
      const jobs = await queue.getJobs(['delayed', 'waiting', 'active']);
      n += jobs.filter((j) => j.attemptsMade === 0 && j.attemptsStarted > Number(stack.env.STAGE_ATTEMPTS ?? 3)).length;
      await queue.close();
    }
    return n;
  };

  // The time limits are generous for a loaded machine (a run takes well under a minute); the waits fail first, with the process logs.
  it('answers 503 while it is down, then takes every clip to review exactly once, with a log that verifies', async () => {
    const ids: string[] = [];
    for (let i = 0; i < CLIPS; i++) {
      const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: `a lighthouse at dusk, take ${i}` } });
      expect(submitted.status).toBe(202);
      ids.push(submitted.body.id);
    }
    const states = () => stack.db((db) => db.query(`SELECT state FROM clips WHERE id = ANY($1)`, [ids]).then((r) => r.rows.map((row) => row.state as string)));
    // Mid-pipeline: some clip is past the prompt check and before review.
    await stack.waitFor(async () => (await states()).some((s) => ['GENERATING', 'ANALYZING'].includes(s)), 60_000, 'a clip in mid-pipeline');

    await pg.stop('immediate');

    const read = await stack.call('/api/v1/clips', { token });
    expect(read.status).toBe(503);
    expect(read.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable; try again shortly' });
    expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
    const write = await stack.call('/api/v1/clips', { token, body: { prompt: 'submitted while the database is down' } });
    expect(write.status).toBe(503);
    expect(write.body).toEqual(read.body);

    const t0 = Date.now();
    const ready = await stack.call('/health/ready');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', checks: { postgres: expect.stringMatching(/^unavailable: [a-z ]+$/), redis: 'ok' } });

    // The outage outlasts every attempt a stage has: jobs wait in BullMQ without spending them.
    await stack.waitFor(async () => (await deferredJobs()) > 0, 30_000, 'a stage job deferred past its attempt budget');

    await pg.start();
    for (const id of ids) {
      const clip = await stack.waitForState(id, token, ['AWAITING_REVIEW', 'FAILED', 'BLOCKED'], 150_000);
      expect({ id, state: clip.state, failureReason: clip.failureReason ?? null }).toEqual({ id, state: 'AWAITING_REVIEW', failureReason: null });
    }

    const events = await stack.db((db) =>
      db
        .query(
          `SELECT subject_id AS "clipId", action, body->>'stage' AS stage, count(*)::int AS n FROM audit_events
            WHERE subject_id = ANY($1) AND action IN ('stage.completed', 'pipeline.redriven') GROUP BY 1, 2, 3`,
          [ids],
        )
        .then((r) => r.rows as { clipId: string; action: string; stage: string; n: number }[]),
    );
    const completed = events.filter((e) => e.action === 'stage.completed');
    expect(completed.filter((e) => e.n !== 1)).toEqual([]); // no stage result recorded twice
    for (const id of ids) expect(completed.filter((e) => e.clipId === id).map((e) => e.stage).sort()).toEqual(['clip_likeness', 'clip_moderation', 'generate', 'media_analysis', 'prompt_likeness', 'prompt_moderation', 'watermark']);
    // Every job survived the outage, so the sweep had nothing to re-drive.
    expect(events.filter((e) => e.action === 'pipeline.redriven')).toEqual([]);

    expect((await stack.call('/api/v1/clips', { token })).status).toBe(200);
    expect((await stack.call('/health/ready')).body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
    const verified = await stack.call('/api/v1/audit/verify', { token });
    expect(verified.body).toMatchObject({ ok: true });
  }, 300_000);
});

describe('a clip whose stage job was lost', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No worker at first: the job waits in BullMQ, where the test can lose it.
    stack = await startStack({ workers: 0, env: { SWEEP_INTERVAL_MS: '500', SWEEP_GRACE_MS: '1000' } });
  });
  afterAll(() => stack?.stop());

  it('is found by the sweep and re-driven, once', async () => {
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'a clip whose job is lost' } });
    const jobId = stageJobId(submitted.body.id, 'prompt_moderation');
    const dispatched = () => stack.db((db) => db.query(`SELECT 1 FROM outbox WHERE job_id = $1 AND dispatched_at IS NOT NULL`, [jobId]).then((r) => r.rowCount === 1));
    await stack.waitFor(dispatched, 20_000, 'the api to hand the job to BullMQ');
    const queue = new Queue(stageQueueName('prompt_moderation'), { connection: { host: '127.0.0.1', port: 6379 }, prefix: stack.env.QUEUE_PREFIX });
    try {
      expect(await queue.remove(jobId)).toBe(1);
    } finally {
      await queue.close();
    }

    stack.startWorker();
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED'], 150_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
    const events = await stack.db((db) =>
      db.query(`SELECT action, body FROM audit_events WHERE subject_id = $1 AND action IN ('pipeline.redriven', 'stage.completed') ORDER BY id`, [clip.id]).then((r) => r.rows),
    );
    expect(events.filter((e) => e.action === 'pipeline.redriven').map((e) => e.body)).toEqual([{ stage: 'prompt_moderation', reason: 'job missing' }]);
    expect(events.filter((e) => e.action === 'stage.completed')).toHaveLength(7);
  }, 200_000);
});
