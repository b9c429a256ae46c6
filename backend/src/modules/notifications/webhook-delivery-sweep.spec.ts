import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { LostJobs } from '../outbox/lost-jobs';
import { Outbox } from '../outbox/outbox';
import { OutboxRepository } from '../outbox/outbox.repository';
import { QueueConnections } from '../outbox/queue-connections';
import { WebhookDeliverySweep } from './webhook-delivery-sweep';
import { WEBHOOK_QUEUE, webhookJobId } from './webhook-fanout';
import { WebhookRepository } from './webhook.repository';

/** Real Postgres and Redis (a queue prefix of its own); no relay runs, so a re-dispatched delivery stays in the outbox for the test to see. */
describe('WebhookDeliverySweep', () => {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, QUEUE_PREFIX: `pwsweep_${randomBytes(4).toString('hex')}`, SWEEP_GRACE_MS: '60000' });
  let db: DataSource;
  let queues: QueueConnections;
  let sweep: WebhookDeliverySweep;
  let webhookId: string;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 4 } }).initialize();
    queues = new QueueConnections(config);
    const outboxRows = new OutboxRepository();
    sweep = new WebhookDeliverySweep(db, new WebhookRepository(), new LostJobs(new Outbox(outboxRows), outboxRows, queues, config), new AuditLog(), config);
    const [{ id: userId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@sweep.test`]);
    const [{ id: clipId }] = await db.query(`INSERT INTO clips (state, source, created_by, flagged) VALUES ('BLOCKED', 'upload', $1, false) RETURNING id`, [userId]);
    [{ id: webhookId }] = await db.query(`INSERT INTO webhooks (user_id, url, secret_sealed, events) VALUES ($1, 'https://hooks.example/', $2, '{clip.blocked}') RETURNING id`, [userId, randomBytes(60)]);
    // More pending deliveries than one sweep looks at, all past the grace period, whose jobs Redis no longer has.
    await db.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, clip_id, event, body, created_at)
       SELECT gen_random_uuid(), $1, $2, 'clip.blocked', '{}', now() - interval '1 hour' FROM generate_series(1, 150)`,
      [webhookId, clipId],
    );
  });
  afterAll(async () => {
    await db?.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE webhook_id = $1`, [webhookId]);
    await queues?.get(WEBHOOK_QUEUE).obliterate({ force: true });
    await queues?.onModuleDestroy();
    await db?.destroy();
  });

  const deliveryIds = (where = 'true'): Promise<string[]> =>
    db.query(`SELECT id FROM webhook_deliveries WHERE webhook_id = $1 AND ${where} ORDER BY id`, [webhookId]).then((rows: { id: string }[]) => rows.map((r) => r.id));

  it('re-dispatches every lost one over successive sweeps, once each, and leaves live, young and settled ones alone', async () => {
    const [live, settled] = await deliveryIds();
    await queues.get(WEBHOOK_QUEUE).add(WEBHOOK_QUEUE, { deliveryId: live }, { jobId: webhookJobId(live), delay: 3_600_000 }); // in its backoff
    await db.query(`UPDATE webhook_deliveries SET status = 'delivered' WHERE id = $1`, [settled]);
    const [{ id: young }] = await db.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, clip_id, event, body) SELECT gen_random_uuid(), webhook_id, clip_id, event, body FROM webhook_deliveries WHERE id = $1 RETURNING id`,
      [live],
    );

    const turns: (number | null)[] = [];
    for (let i = 0; i < 4; i++) turns.push(await sweep.sweep());
    // One page per sweep: the second goes on where the first stopped, then every lost one has its job again.
    expect(turns[1]).toBeGreaterThan(0);
    expect(turns.slice(2)).toEqual([0, 0]);

    const lost = (await deliveryIds(`status = 'pending' AND created_at < now() - interval '1 minute'`)).filter((id) => id !== live);
    expect(lost).toHaveLength(148);
    const redispatched: { jobId: string; payload: { deliveryId: string } }[] = await db.query(
      `SELECT job_id AS "jobId", payload FROM outbox WHERE queue = $1 AND payload->>'deliveryId' = ANY($2) ORDER BY payload->>'deliveryId'`,
      [WEBHOOK_QUEUE, [...lost, live, settled, young]],
    );
    expect(redispatched).toEqual(lost.map((id) => ({ jobId: webhookJobId(id), payload: { deliveryId: id } })));
    const events: { body: { deliveryId: string; reason: string } }[] = await db.query(
      `SELECT body FROM audit_events WHERE action = 'webhook.delivery_redispatched' AND subject_type = 'webhook' AND subject_id = $1 ORDER BY body->>'deliveryId'`,
      [webhookId],
    );
    expect(events.map((e) => [e.body.deliveryId, e.body.reason])).toEqual(lost.map((id) => [id, 'job missing']));
  });

  it('takes no turn while another process holds it', async () => {
    const other = new Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('BEGIN');
      // The same statement the repository runs: one sweep at a time across processes.
      await other.query(WebhookRepository.sql.takeDeliverySweepTurn);
      expect(await sweep.sweep()).toBeNull();
      await other.query('ROLLBACK');
      expect(await sweep.sweep()).toBe(0);
    } finally {
      await other.end();
    }
  });
});
