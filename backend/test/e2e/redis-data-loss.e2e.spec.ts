import { FakeHttpServer } from '../fakes/fake-http-server';
import { PrivateRedis } from '../support/private-redis';
import { startStack, type Stack } from '../support/stack';

const BLOCKED_PROMPT = 'Make a video where I tell my ex: I w1ll k1ll you';
const EVERY_STAGE_OF_A_PROMPT_CLIP = ['clip_likeness', 'clip_moderation', 'generate', 'media_analysis', 'prompt_likeness', 'prompt_moderation', 'watermark'];

/**
 * Outbox rows are marked dispatched once Redis has the job, so when Redis
 * loses its data (FLUSHALL, a failover to an empty replica) only the sweeps
 * can notice: they re-dispatch, under the same job ids, the stage jobs of
 * clips left in a processing phase and the jobs of pending webhook
 * deliveries, and leave live jobs alone.
 */
describe('Redis loses its data', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let receiver: FakeHttpServer;
  let receiverAccepts = false;
  let token: string;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    receiver = await FakeHttpServer.start();
    receiver.route('POST', /^\/hooks$/, () => (receiverAccepts ? { status: 200 } : { status: 500, text: 'not now' }));
    stack = await startStack({
      workers: 1,
      env: {
        REDIS_URL: redis.url,
        // Sweeps as eager as the settings allow: they look at every clip and delivery many times while its job is alive.
        SWEEP_INTERVAL_MS: '200',
        SWEEP_GRACE_MS: '500',
        // A failed attempt waits an hour in BullMQ's delayed set: only a re-dispatch brings it back within the test.
        WEBHOOK_BACKOFF_MS: '3600000',
        WEBHOOK_ALLOWED_NETWORKS: `127.0.0.1:${new URL(receiver.url).port}`,
      },
    });
    token = await stack.login();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    await redis?.stop();
  });

  const submit = (prompt: string) => stack.call('/api/v1/clips', { token, body: { prompt } }).then((r) => r.body.id as string);
  const auditOf = (action: string, subjectIds: string[]) =>
    stack.db((db) => db.query(`SELECT subject_id AS "subjectId", body FROM audit_events WHERE action = $1 AND subject_id = ANY($2) ORDER BY id`, [action, subjectIds]).then((r) => r.rows));
  const completedStages = (clipId: string) =>
    stack.db((db) =>
      db
        .query(`SELECT body->>'stage' AS stage, count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'stage.completed' AND body->>'late' IS NULL GROUP BY 1 ORDER BY 1`, [clipId])
        .then((r) => r.rows as { stage: string; n: number }[]),
    );
  const delivery = (clipId: string) =>
    stack.db((db) =>
      db
        .query(
          `SELECT d.id, d.webhook_id AS "webhookId", d.status, array(SELECT a.status_code FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt) AS "statusCodes"
             FROM webhook_deliveries d WHERE d.clip_id = $1`,
          [clipId],
        )
        .then((r) => r.rows as { id: string; webhookId: string; status: string; statusCodes: number[] }[]),
    );

  let waitingDelivery: { id: string; webhookId: string; clipId: string };

  it('sweeps that find every job alive re-dispatch nothing: each stage runs once, a delivery in its backoff is not sent early', async () => {
    const hook = await stack.call('/api/v1/webhooks', { token, body: { url: `${receiver.url}/hooks`, events: ['clip.blocked'] } });
    expect(hook.status).toBe(201);
    const blocked = await submit(BLOCKED_PROMPT);
    const clip = await submit('a heron standing in a misty river');
    expect((await stack.waitForState(blocked, token, ['BLOCKED', 'FAILED'])).state).toBe('BLOCKED');
    await stack.waitFor(async () => (await delivery(blocked))[0]?.statusCodes.length === 1, 30_000, 'the first delivery attempt');
    expect((await stack.waitForState(clip, token, ['AWAITING_REVIEW', 'FAILED'], 150_000)).state).toBe('AWAITING_REVIEW');
    await new Promise((r) => setTimeout(r, 3000)); // many more sweeps over the delivery waiting in its backoff

    expect(await completedStages(clip)).toEqual(EVERY_STAGE_OF_A_PROMPT_CLIP.map((stage) => ({ stage, n: 1 })));
    expect(await auditOf('pipeline.redriven', [clip, blocked])).toEqual([]);
    const [pending] = await delivery(blocked);
    expect(pending).toMatchObject({ status: 'pending', statusCodes: [500] });
    expect(await auditOf('webhook.delivery_redispatched', [pending.webhookId])).toEqual([]);
    waitingDelivery = { id: pending.id, webhookId: pending.webhookId, clipId: blocked };
  }, 200_000);

  it('a pending delivery whose job was flushed under a running worker is still delivered, once', async () => {
    await redis.flushAll();
    receiverAccepts = true;
    // Redis is reachable, so the processes stay ready; the lost jobs are the sweeps' to find.
    expect((await stack.call('/health/ready')).status).toBe(200);

    await stack.waitFor(async () => (await delivery(waitingDelivery.clipId))[0].status === 'delivered', 30_000, 'the delivery to be re-dispatched and sent');
    expect((await delivery(waitingDelivery.clipId))[0].statusCodes).toEqual([500, 200]);
    expect(await auditOf('webhook.delivery_redispatched', [waitingDelivery.webhookId])).toEqual([
      { subjectId: waitingDelivery.webhookId, body: { deliveryId: waitingDelivery.id, clipId: waitingDelivery.clipId, reason: 'job missing' } },
    ]);
    expect(receiver.requests.filter((r) => r.headers['x-provenant-delivery'] === waitingDelivery.id)).toHaveLength(2);
  }, 60_000);

  it('a clip whose jobs were flushed mid-pipeline still reaches review, each stage run once', async () => {
    const id = await submit('a lantern drifting down a canal at night');
    await stack.waitForState(id, token, ['GENERATING', 'ANALYZING'], 60_000);
    // The worker dies mid-pipeline; every job of the clip has been handed to Redis, and Redis then loses them all.
    const victim = stack.workers[0];
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    const undispatched = () => stack.db((db) => db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'clipId' = $1 AND dispatched_at IS NULL`, [id]).then((r) => r.rows[0].n));
    await stack.waitFor(async () => (await undispatched()) === 0, 10_000, 'the api to hand every job of the clip to Redis');
    const phaseAtFlush = (await stack.call(`/api/v1/clips/${id}`, { token })).body.state as string;
    await redis.flushAll();

    stack.startWorker();
    const clip = await stack.waitForState(id, token, ['AWAITING_REVIEW', 'FAILED'], 150_000);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.transitions.filter((t: { to: string }) => t.to === 'AWAITING_REVIEW')).toHaveLength(1);
    expect(await completedStages(id)).toEqual(EVERY_STAGE_OF_A_PROMPT_CLIP.map((stage) => ({ stage, n: 1 })));
    const redriven = (await auditOf('pipeline.redriven', [id])).map((e) => e.body as { stage: string; reason: string });
    const stagesOfThatPhase = phaseAtFlush === 'GENERATING' ? ['generate'] : ['media_analysis', 'clip_moderation', 'clip_likeness', 'watermark'];
    expect(redriven.length).toBeGreaterThan(0);
    expect(redriven.filter((e) => !stagesOfThatPhase.includes(e.stage) || e.reason !== 'job missing')).toEqual([]);
    expect(new Set(redriven.map((e) => e.stage)).size).toBe(redriven.length);
  }, 200_000);
});
