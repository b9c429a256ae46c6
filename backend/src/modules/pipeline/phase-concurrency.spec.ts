import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { CheckVerdict, ClipState, StageName } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { LocalContentStore } from '../../engines/storage/local-content-store';
import { AuditLog } from '../audit/audit-log';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { WebhookFanout } from '../notifications/webhook-fanout';
import { WebhookRepository } from '../notifications/webhook.repository';
import { Outbox } from '../outbox/outbox';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxRepository } from '../outbox/outbox.repository';
import { QueueConnections } from '../outbox/queue-connections';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { ReviewItemRepository } from '../review/review-item.repository';
import { ReviewQueue } from '../review/review-queue';
import { ReviewReopeningRepository } from '../review/review-reopening.repository';
import { PipelineOrchestrator } from './pipeline-orchestrator';
import { PipelinePlan } from './pipeline-plan';
import { stageJobId, stageQueueName, type PipelineStage, type StageOutcome } from './pipeline-stage';
import { StageResultRepository } from './stage-result.repository';
import { SigningStage } from './stages/signing.stage';
import { StageWorkers } from './stage-workers';

/** A check whose runs the test starts and finishes by hand: proves what runs when, with real queues underneath. */
class GatedStage implements PipelineStage {
  readonly phase = 'ANALYZING' as const;
  readonly runCount = new Map<string, number>();
  private readonly gates = new Map<string, { started: Promise<void>; markStarted: () => void; finish?: (verdict: CheckVerdict, mediaSha256?: string) => void }>();

  constructor(
    readonly name: StageName,
    readonly needs: readonly StageName[] = [],
  ) {}

  appliesTo(): boolean {
    return true;
  }

  /** Resolves once a run for this clip has begun. */
  started(clipId: string): Promise<void> {
    return this.gate(clipId).started;
  }

  /** `mediaSha256`: the stage produced a file (as the release render does). */
  finish(clipId: string, verdict: CheckVerdict, mediaSha256?: string): void {
    this.gate(clipId).finish!(verdict, mediaSha256);
  }

  run({ clip }: { clip: { id: string } }): Promise<StageOutcome> {
    this.runCount.set(clip.id, (this.runCount.get(clip.id) ?? 0) + 1);
    const gate = this.gate(clip.id);
    return new Promise((resolve) => {
      gate.finish = (verdict, sha256) =>
        resolve({
          verdict,
          result: { by: this.name },
          ...(verdict === 'block' ? { reason: `${this.name} blocked it` } : {}),
          ...(sha256 ? { media: { sha256, info: { sha256 } as never } } : {}),
        });
      gate.markStarted();
    });
  }

  private gate(clipId: string) {
    let gate = this.gates.get(clipId);
    if (!gate) {
      let markStarted!: () => void;
      const started = new Promise<void>((r) => (markStarted = r));
      gate = { started, markStarted };
      this.gates.set(clipId, gate);
    }
    return gate;
  }
}

/** A stage that succeeds at once, as media analysis would. */
class InstantStage implements PipelineStage {
  readonly phase = 'ANALYZING' as const;
  constructor(readonly name: StageName) {}
  appliesTo(): boolean {
    return true;
  }
  async run(): Promise<StageOutcome> {
    return { verdict: 'allow', result: {} };
  }
}

describe('checks of one phase run side by side (real Postgres, Redis and BullMQ)', () => {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, QUEUE_PREFIX: `pconc_${randomBytes(4).toString('hex')}`, OUTBOX_POLL_MS: '50', STAGE_BACKOFF_MS: '100' });
  // Two checks that both need the analysis and not each other; the names are the plan's, the stages the test's.
  const analysis = new InstantStage('media_analysis');
  const first = new GatedStage('clip_moderation', ['media_analysis']);
  const second = new GatedStage('watermark', ['media_analysis']);
  const unused = null as never;
  const plan = new PipelinePlan([analysis, first, second, new SigningStage(unused, unused, unused, unused, 1)]);
  const audit = new AuditLog();
  const clips = new ClipRepository();
  const stageResults = new StageResultRepository();
  let db: DataSource;
  let dir: string;
  let store: LocalContentStore;
  let queues: QueueConnections;
  let relay: OutboxRelay;
  let workers: StageWorkers;
  let orchestrator: PipelineOrchestrator;
  let outbox: Outbox;

  beforeAll(async () => {
    db = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 10 } }).initialize();
    dir = await mkdtemp(join(tmpdir(), 'phase-concurrency-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
    const transitions = new ClipTransitions(clips, audit);
    outbox = new Outbox(new OutboxRepository());
    orchestrator = new PipelineOrchestrator(plan, transitions, outbox, clips, stageResults);
    new ReviewQueue(db, audit, transitions, clips, new ReviewItemRepository(), new ReviewReopeningRepository(), config).onModuleInit();
    new WebhookFanout(transitions, outbox, new WebhookRepository(), clips, stageResults, new ReviewDecisionRepository()).onModuleInit();
    orchestrator.onModuleInit();
    queues = new QueueConnections(config);
    relay = new OutboxRelay(db, queues, new OutboxRepository(), config);
    await relay.onApplicationBootstrap();
    workers = new StageWorkers(plan, orchestrator, transitions, audit, clips, stageResults, db, store, config);
    workers.onApplicationBootstrap();
  });
  // Clips this file brings to review leave the shared queue again, so other tests' "claim next" never meets them.
  const submitted: string[] = [];
  afterEach(() => db.query('UPDATE review_items SET closed_at = now() WHERE clip_id = ANY($1) AND closed_at IS NULL', [submitted]));
  afterAll(async () => {
    await workers?.onApplicationShutdown();
    await relay?.onApplicationShutdown();
    await queues?.onModuleDestroy();
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const submitUpload = async (): Promise<string> => {
    const [{ id: userId }] = await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', '{creator}') RETURNING id`, [`${randomUUID()}@phase.test`]);
    const [{ id }] = await db.query(`INSERT INTO clips (state, source, created_by, flagged, media_sha256) VALUES ('SUBMITTED', 'upload', $1, false, $2) RETURNING id`, [userId, 'c'.repeat(64)]);
    submitted.push(id);
    await db.transaction((m) => orchestrator.advance(m, id, 'system'));
    return id;
  };
  const stateOf = async (id: string): Promise<ClipState> => (await clips.findById(db, id))!.state;
  const waitFor = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) if (await check()) return;
    else await new Promise((r) => setTimeout(r, 50));
    throw new Error(`timed out waiting for ${what}`);
  };
  const transitionsInto = async (id: string, to: ClipState) => (await clips.transitionsOf(db, id)).filter((t) => t.to === to).length;
  const completions = async (id: string): Promise<Record<string, number>> => {
    const rows: { stage: string; n: number }[] = await db.query(
      `SELECT body->>'stage' AS stage, count(*)::int AS n FROM audit_events WHERE subject_id = $1 AND action = 'stage.completed' GROUP BY 1`,
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
  };

  it('starts both checks once the analysis they need is done, and leaves the phase only when both succeeded, exactly once', async () => {
    const id = await submitUpload();
    // Both are running at the same time: neither has been allowed to finish yet.
    await Promise.all([first.started(id), second.started(id)]);
    expect(await stateOf(id)).toBe('ANALYZING');
    first.finish(id, 'allow');
    await waitFor('the first result', async () => (await completions(id)).clip_moderation === 1);
    expect(await stateOf(id)).toBe('ANALYZING');
    second.finish(id, 'review');
    await waitFor('review', async () => (await stateOf(id)) === 'AWAITING_REVIEW');
    expect(await transitionsInto(id, 'AWAITING_REVIEW')).toBe(1);
    expect((await clips.findById(db, id))!.flagged).toBe(true);
    expect(await completions(id)).toEqual({ media_analysis: 1, clip_moderation: 1, watermark: 1 });
  });

  it("ends the phase at once on a block; the other check's late result is recorded and moves nothing", async () => {
    const id = await submitUpload();
    await Promise.all([first.started(id), second.started(id)]);
    second.finish(id, 'block');
    await waitFor('the block', async () => (await stateOf(id)) === 'BLOCKED');
    first.finish(id, 'allow');
    await waitFor('the late result', async () => (await completions(id)).clip_moderation === 1);
    const late: { body: { late?: boolean } }[] = await db.query(`SELECT body FROM audit_events WHERE subject_id = $1 AND action = 'stage.completed' AND body->>'stage' = 'clip_moderation'`, [id]);
    expect(late.map((e) => e.body.late)).toEqual([true]);
    expect(await stateOf(id)).toBe('BLOCKED');
    expect(await transitionsInto(id, 'BLOCKED')).toBe(1);
    expect((await clips.transitionsOf(db, id)).map((t) => t.to)).toEqual(['ANALYZING', 'BLOCKED']);
  });

  it('discards a render that finishes after a check blocked the clip: its file leaves the store, the clip keeps its media', async () => {
    const id = await submitUpload();
    await Promise.all([first.started(id), second.started(id)]);
    first.finish(id, 'block');
    await waitFor('the block', async () => (await stateOf(id)) === 'BLOCKED');
    const render = await store.commit(await store.stage(Readable.from([randomBytes(256)])));
    second.finish(id, 'allow', render);
    await waitFor('the late render to be discarded', async () => !(await store.has(render)));
    expect(await completions(id)).toEqual({ media_analysis: 1, clip_moderation: 1, watermark: 1 });
    expect((await db.query('SELECT media_sha256 FROM clips WHERE id = $1', [id]))[0].media_sha256).toBe('c'.repeat(64));
    expect(await stageResults.succeededStages(db, id)).toEqual(new Set(['media_analysis', 'clip_moderation']));
  });

  it('a duplicated job of a check that already succeeded changes nothing', async () => {
    const id = await submitUpload();
    await Promise.all([first.started(id), second.started(id)]);
    first.finish(id, 'allow');
    await waitFor('the first result', async () => (await completions(id)).clip_moderation === 1);
    // The same work handed to the queue again under another job id, as a relay crash or the sweep could.
    await db.transaction((m) => outbox.enqueue(m, stageQueueName('clip_moderation'), `${stageJobId(id, 'clip_moderation')}__again`, { clipId: id, stage: 'clip_moderation' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(first.runCount.get(id)).toBe(1);
    second.finish(id, 'allow');
    await waitFor('review', async () => (await stateOf(id)) === 'AWAITING_REVIEW');
    expect(await completions(id)).toEqual({ media_analysis: 1, clip_moderation: 1, watermark: 1 });
    expect(await transitionsInto(id, 'AWAITING_REVIEW')).toBe(1);
  });
});
