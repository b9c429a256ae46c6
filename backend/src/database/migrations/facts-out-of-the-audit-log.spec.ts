import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FactsOutOfTheAuditLog1764158900000 } from './1764158900000-facts-out-of-the-audit-log';
import { migrations } from './index';

// The backfill of 1764158900000 on a database that already holds clips, reviews and an audit log.
describe('migration: facts out of the audit log', () => {
  const name = `provenant_migration_${randomBytes(4).toString('hex')}`;
  const serverUrl = new URL(process.env.DATABASE_URL!);
  const url = (db: string) => Object.assign(new URL(serverUrl), { pathname: `/${db}` }).toString();
  const migrate = async (list: typeof migrations) => {
    const ds = await new DataSource({ type: 'postgres', url: url(name), migrations: list }).initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  };
  let admin: Client;
  let db: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await migrate(migrations.slice(0, migrations.indexOf(FactsOutOfTheAuditLog1764158900000)));
    db = new Client({ connectionString: url(name) });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('fills transitions, decisions and stage results from the log, renames the release stage and answers the four-eyes rule for open rounds', async () => {
    const [{ id: creator }] = (await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ('c@m.test', 'x', '{creator}') RETURNING id`)).rows;
    const [{ id: reviewer }] = (await db.query(`INSERT INTO users (email, password_hash, roles) VALUES ('r@m.test', 'x', '{reviewer}') RETURNING id`)).rows;
    const [{ id: clip }] = (await db.query(`INSERT INTO clips (state, source, created_by, flagged) VALUES ('AWAITING_REVIEW', 'upload', $1, true) RETURNING id`, [creator])).rows;
    const decisionId = randomUUID();
    const event = (seq: number, action: string, subjectId: string, body: object) =>
      db.query(`INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, body) VALUES ($1, now(), 'worker', $2, 'clip', $3, $4)`, [seq, action, subjectId, body]);
    await event(1, 'clip.transition', clip, { from: 'SUBMITTED', to: 'ANALYZING', reason: null });
    await event(2, 'stage.completed', clip, { stage: 'watermark', verdict: 'review' });
    await event(3, 'clip.transition', clip, { from: 'WATERMARKING', to: 'AWAITING_REVIEW', reason: null });
    // A clip the log names that is no longer in the clips table: it stays in the log only.
    await event(4, 'clip.transition', 'not-a-clip-id', { from: 'SUBMITTED', to: 'ANALYZING', reason: null });
    await event(5, 'review.decision', clip, { decisionId, decision: 'approve', final: false, approvals: 1 });
    await event(6, 'stage.completed', clip, { stage: 'release', verdict: 'allow' });
    await db.query(
      `INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, started_at, finished_at) VALUES ($1, 'watermark', 'succeeded', 'review', 1, '{}', now(), now()), ($1, 'release', 'succeeded', 'allow', 1, '{}', now(), now())`,
      [clip],
    );
    await db.query(
      `INSERT INTO review_items (clip_id, submitted_by, round, cause, priority, four_eyes, enqueued_at, due_at, approved_by) VALUES ($1, $2, 1, 'pipeline', 0, true, now(), now(), ARRAY[$3::uuid])`,
      [clip, creator, reviewer],
    );
    await db.query(`INSERT INTO review_decisions (id, clip_id, round, reviewer_id, senior, decision, reason_code, reason_catalog_version) VALUES ($1, $2, 1, $3, false, 'approve', 'policy_compliant', '1')`, [
      decisionId,
      clip,
      reviewer,
    ]);

    await migrate(migrations.slice(0, migrations.indexOf(FactsOutOfTheAuditLog1764158900000) + 1));

    expect((await db.query(`SELECT clip_id, audit_seq::int AS seq, from_state, to_state FROM clip_transitions ORDER BY audit_seq`)).rows).toEqual([
      { clip_id: clip, seq: 1, from_state: 'SUBMITTED', to_state: 'ANALYZING' },
      { clip_id: clip, seq: 3, from_state: 'WATERMARKING', to_state: 'AWAITING_REVIEW' },
    ]);
    expect((await db.query(`SELECT stage, audit_seq::int AS seq FROM stage_results ORDER BY stage`)).rows).toEqual([
      { stage: 'signing', seq: 6 },
      { stage: 'watermark', seq: 2 },
    ]);
    expect((await db.query(`SELECT final, audit_seq::int AS seq FROM review_decisions`)).rows).toEqual([{ final: false, seq: 5 }]);
    // Four eyes, one approval, none a senior's: only a senior reviewer can complete the round.
    expect((await db.query(`SELECT senior_approval_needed FROM review_items`)).rows).toEqual([{ senior_approval_needed: true }]);
  });

  it('then (1764159000000) gives existing events ids equal to their seq, points the facts at those ids, and numbers new events after them', async () => {
    await migrate(migrations);
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE id <> seq`)).rows).toEqual([{ n: 0 }]);
    expect((await db.query(`SELECT audit_event_id::int AS id FROM clip_transitions ORDER BY audit_event_id`)).rows).toEqual([{ id: 1 }, { id: 3 }]);
    expect((await db.query(`SELECT audit_event_id::int AS id FROM review_decisions`)).rows).toEqual([{ id: 5 }]);
    const [{ id, seq }] = (await db.query(`INSERT INTO audit_events (at, actor, action, subject_type, subject_id, body) VALUES (now(), 'system', 'test.append', 'test', 'x', '{}') RETURNING id::int, seq`)).rows;
    expect({ id, seq }).toEqual({ id: 7, seq: null });
  });
});
