import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { ClipState } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { WebhookFanout } from '../notifications/webhook-fanout';
import { WebhookRepository } from '../notifications/webhook.repository';
import { Outbox } from '../outbox/outbox';
import { OutboxRepository } from '../outbox/outbox.repository';
import { PipelineOrchestrator } from '../pipeline/pipeline-orchestrator';
import { PipelinePlan } from '../pipeline/pipeline-plan';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { SigningStage } from '../pipeline/stages/signing.stage';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { ReviewItemRepository } from '../review/review-item.repository';
import { ReviewQueue } from '../review/review-queue';
import { ReviewReopeningRepository } from '../review/review-reopening.repository';
import { ClipRepository } from './clip.repository';
import { ClipTransitions } from './clip-transitions';

// What follows a transition happens because of the transition alone: no caller opens a review round,
// records a webhook delivery or notifies the event stream by hand.
describe('ClipTransitions and what follows a transition', () => {
  let db: DataSource;
  let listener: Client;
  const heard: { clipId: string; state: ClipState }[] = [];
  const audit = new AuditLog();
  const clips = new ClipRepository();
  const stageResults = new StageResultRepository();
  const config = loadConfig({});

  const wire = (consequences: ('review' | 'webhooks' | 'pipeline')[]) => {
    const transitions = new ClipTransitions(clips, audit);
    const outbox = new Outbox(new OutboxRepository());
    const unused = null as never;
    if (consequences.includes('review')) new ReviewQueue(db, audit, transitions, clips, new ReviewItemRepository(), new ReviewReopeningRepository(), config).onModuleInit();
    if (consequences.includes('webhooks')) new WebhookFanout(transitions, outbox, new WebhookRepository(), clips, stageResults, new ReviewDecisionRepository()).onModuleInit();
    if (consequences.includes('pipeline')) new PipelineOrchestrator(new PipelinePlan([new SigningStage(unused, unused, unused, unused, 1)]), transitions, outbox, clips, stageResults).onModuleInit();
    return transitions;
  };

  const newClip = async (state: ClipState) => {
    const [{ id: userId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@lifecycle.test`]);
    const [{ id }] = await db.query(`INSERT INTO clips (state, source, created_by, flagged, media_sha256) VALUES ($1, 'upload', $2, false, $3) RETURNING id`, [state, userId, 'b'.repeat(64)]);
    await db.query(`INSERT INTO webhooks (user_id, url, secret, events) VALUES ($1, 'http://127.0.0.1:9/hook', 's', '{clip.blocked}')`, [userId]);
    return id as string;
  };

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    listener = new Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    listener.on('notification', (n) => heard.push(JSON.parse(n.payload ?? '{}')));
    await clips.listen(listener);
  });
  afterAll(async () => {
    await listener.end();
    await db.destroy();
  });

  it('opens the review round, records the webhook delivery and notifies the stream from the transition alone', async () => {
    const transitions = wire(['review', 'webhooks', 'pipeline']);
    const reviewed = await newClip('ANALYZING');
    await db.transaction((m) => transitions.transition(m, reviewed, 'ANALYZING', 'AWAITING_REVIEW', { actor: 'worker' }));
    expect(await db.query('SELECT round, cause FROM review_items WHERE clip_id = $1 AND closed_at IS NULL', [reviewed])).toEqual([{ round: 1, cause: 'pipeline' }]);
    // Out of the shared queue again, so that other tests' "claim next" never meets this clip.
    await db.query('UPDATE review_items SET closed_at = now() WHERE clip_id = $1', [reviewed]);

    const blocked = await newClip('ANALYZING');
    await db.transaction((m) => transitions.transition(m, blocked, 'ANALYZING', 'BLOCKED', { actor: 'worker', reason: 'test block' }));
    expect(await db.query(`SELECT event, body::jsonb->>'failureReason' AS reason FROM webhook_deliveries WHERE clip_id = $1`, [blocked])).toEqual([{ event: 'clip.blocked', reason: 'test block' }]);
    expect((await clips.transitionsOf(db, blocked)).map((t) => [t.from, t.to, t.reason])).toEqual([['ANALYZING', 'BLOCKED', 'test block']]);

    const streamed = async () => heard.filter((e) => e.clipId === reviewed || e.clipId === blocked).map((e) => e.state);
    for (let i = 0; i < 50 && (await streamed()).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await streamed()).toEqual(['AWAITING_REVIEW', 'BLOCKED']);
  });

  it('refuses to move a clip in a process where a consequence has no subscriber, and changes nothing', async () => {
    const transitions = wire(['review', 'pipeline']);
    const id = await newClip('ANALYZING');
    await expect(db.transaction((m) => transitions.transition(m, id, 'ANALYZING', 'AWAITING_REVIEW', { actor: 'worker' }))).rejects.toThrow(/nothing handles webhook_fanout/);
    expect((await clips.findById(db, id))!.state).toBe('ANALYZING');
  });
});
