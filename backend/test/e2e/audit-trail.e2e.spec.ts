import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Client } from 'pg';
import { openSignedCheckpoint, verifyConsistency, verifyInclusion } from '../../src/engines/merkle-log';
import { INTEGRATOR_LOCK_KEY } from '../../src/modules/audit/checkpoint.repository';
import { startStack, type Stack } from '../support/stack';

const ROOT = resolve(__dirname, '../../..');

/**
 * Runs `fn` as a database superuser with the append-only triggers off, as an attacker with full access would,
 * holding the integrator's turn so that the edit does not race the sequencer (a careful forger waits for quiet).
 */
async function tamper(stack: Stack, fn: (db: Client) => Promise<unknown>): Promise<void> {
  await stack.db(async (db) => {
    await db.query('BEGIN');
    await db.query(`SELECT pg_advisory_xact_lock(${INTEGRATOR_LOCK_KEY})`);
    await db.query('SET LOCAL session_replication_role = replica');
    await fn(db);
    await db.query('COMMIT');
  });
}

describe('tamper-evident audit trail', () => {
  let stack: Stack;
  let admin: string;
  let compliance: string;
  let dir: string;
  const verify = async () => (await stack.call('/api/v1/audit/verify', { token: compliance })).body;
  const head = () => stack.db((db) => db.query('SELECT size::int AS n FROM audit_log_head').then((r) => r.rows[0].n as number));
  const signedSize = async () => (await stack.call('/api/v1/audit/checkpoints/latest', { token: compliance })).body.treeSize as number;
  const waitIntegrated = async () => {
    // A search sequences everything committed before it, and signs.
    await stack.call('/api/v1/audit/events?limit=1', { token: compliance });
    const target = await head();
    await stack.waitFor(async () => (await signedSize()) >= target, 20_000, `checkpoint covering ${target} events`);
  };

  beforeAll(async () => {
    // WEBHOOK_ALLOWED_NETWORKS: the erasure test registers a (never delivered) webhook on loopback.
    // LOGIN_MAX_FAILURES_PER_ACCOUNT=1: one failed login starts a lockout, which is audited.
    stack = await startStack({ workers: 1, env: { AUDIT_CHECKPOINT_INTERVAL_MS: '100', WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1:9', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1' } });
    admin = await stack.login();
    compliance = (await stack.userWithRoles(['compliance'], admin)).token;
    dir = await mkdtemp(join(tmpdir(), 'audit-'));
    const clip = await stack.call('/api/v1/clips', { token: admin, body: { prompt: 'an audited clip' } });
    await stack.waitForState(clip.body.id, admin, ['AWAITING_REVIEW']);
    await stack.call('/api/v1/auth/login', { body: { email: 'nobody@provenant.test', password: 'wrong' } });
    await waitIntegrated();
  });
  afterAll(() => stack?.stop());

  it('records every step with a gap-free sequence and verifies the whole log', async () => {
    await waitIntegrated();
    const events = await stack.db((db) => db.query('SELECT seq::int AS seq, action FROM audit_events ORDER BY seq').then((r) => r.rows));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.created', 'auth.login', 'auth.lockout', 'clip.submitted', 'clip.transition', 'stage.completed']));
    const result = await verify();
    expect(result).toMatchObject({ ok: true });
    expect(result.checkedEvents).toBeGreaterThanOrEqual(events.length);
    const lastVerification = await stack.call('/api/v1/audit/events?action=audit.verified', { token: compliance });
    expect(lastVerification.body.items.at(-1).body.ok).toBe(true);
  });

  it('proves any event included in a signed checkpoint, and checkpoints consistent with each other', async () => {
    const pem = (await stack.call('/api/v1/audit/public-key')).body as string;
    const early = await signedSize();
    await stack.call('/api/v1/clips', { token: admin, body: { prompt: 'grow the log' } });
    await stack.waitFor(async () => (await signedSize()) > early, 20_000, 'a newer checkpoint');
    const late = await signedSize();
    for (const seq of [1, 2, Math.floor(early / 2), early, late]) {
      const proof = (await stack.call(`/api/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${late}`, { token: compliance })).body;
      const checkpoint = openSignedCheckpoint(proof.checkpoint.signedNote, pem);
      expect(checkpoint.treeSize).toBe(late);
      const path = proof.path.map((h: string) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(seq - 1, late, Buffer.from(proof.leafHash, 'hex'), path, checkpoint.rootHash)).toBe(true);
      expect(verifyInclusion(seq - 1, late, Buffer.alloc(32, 7), path, checkpoint.rootHash)).toBe(false);
    }
    const consistency = (await stack.call(`/api/v1/audit/proofs/consistency?from=${early}&to=${late}`, { token: compliance })).body;
    const [a, b] = [openSignedCheckpoint(consistency.from.signedNote, pem), openSignedCheckpoint(consistency.to.signedNote, pem)];
    expect(verifyConsistency(early, late, a.rootHash, b.rootHash, consistency.path.map((h: string) => Buffer.from(h, 'hex')))).toBe(true);
    expect((await stack.call(`/api/v1/audit/proofs/inclusion?seq=${late + 1000}`, { token: compliance })).status).toBe(404);
    expect((await stack.call('/api/v1/audit/proofs/inclusion?seq=abc', { token: compliance })).status).toBe(400);
  });

  it.each([
    ['altered', async (db: Client) => db.query(`UPDATE audit_events SET body = '{"to":"APPROVED"}' WHERE seq = 5`), async (db: Client, row: any) => db.query('UPDATE audit_events SET body = $2 WHERE seq = $1', [5, row.body])],
    ['removed', async (db: Client) => db.query('DELETE FROM audit_events WHERE seq = 5'), async (db: Client, row: any) => db.query('INSERT INTO audit_events SELECT * FROM json_populate_record(NULL::audit_events, $1)', [JSON.stringify(row)])],
    [
      'reordered',
      async (db: Client) => {
        await db.query('UPDATE audit_events SET seq = -1 WHERE seq = 5');
        await db.query('UPDATE audit_events SET seq = 5 WHERE seq = 6');
        await db.query('UPDATE audit_events SET seq = 6 WHERE seq = -1');
      },
      async (db: Client) => {
        await db.query('UPDATE audit_events SET seq = -1 WHERE seq = 5');
        await db.query('UPDATE audit_events SET seq = 5 WHERE seq = 6');
        await db.query('UPDATE audit_events SET seq = 6 WHERE seq = -1');
      },
    ],
  ])('names the first entry that was %s, and passes again once restored', async (kind, attack, restore) => {
    const row = await stack.db((db) => db.query('SELECT * FROM audit_events WHERE seq = 5').then((r) => r.rows[0]));
    await tamper(stack, attack);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toMatchObject({ kind, seq: 5 });
    await tamper(stack, (db) => restore(db, row));
    expect((await verify()).ok).toBe(true);
  });

  it('names an inserted entry', async () => {
    await waitIntegrated();
    // Shift everything from seq 3 up by one and slip a forged event in at 3, as a careful forger would.
    await tamper(stack, async (db) => {
      await db.query('UPDATE audit_events SET seq = -seq WHERE seq >= 3');
      await db.query('UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0');
      await db.query(`INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, body) VALUES (3, now(), 'system', 'user.created', 'user', 'forged', '{}')`);
    });
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstProblem).toMatchObject({ kind: 'inserted', seq: 3 });
    await tamper(stack, async (db) => {
      await db.query('DELETE FROM audit_events WHERE seq = 3');
      await db.query('UPDATE audit_events SET seq = -(seq - 1) WHERE seq > 3');
      await db.query('UPDATE audit_events SET seq = -seq WHERE seq < 0');
    });
    expect((await verify()).ok).toBe(true);
  });

  it('exports JSONL that the CLI verifies offline, and catches an edited export', async () => {
    await waitIntegrated();
    const res = await fetch(`${stack.baseUrl}/api/v1/audit/export`, { headers: { authorization: `Bearer ${compliance}` } });
    expect(res.status).toBe(200);
    const jsonl = await res.text();
    const file = join(dir, 'audit.jsonl');
    const keyFile = join(dir, 'audit.pub.pem');
    await writeFile(file, jsonl);
    await writeFile(keyFile, (await stack.call('/api/v1/audit/public-key')).body);
    const cli = (args: string[]) => spawnSync('npx', ['--no-install', 'provenant', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const ok = cli(['audit', 'verify', '--export', file, '--public-key', keyFile, '--json']);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    expect(ok.status).toBe(0);

    const lines = jsonl.trim().split('\n');
    const i = lines.findIndex((l) => l.includes('"clip.submitted"'));
    lines[i] = lines[i].replace('clip.submitted', 'clip.submitteD');
    await writeFile(file, lines.join('\n'));
    const bad = cli(['audit', 'verify', '--export', file, '--public-key', keyFile]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/AUDIT LOG TAMPERED: altered/);
    expect(cli(['audit', 'verify', '--export', join(dir, 'missing.jsonl'), '--public-key', keyFile]).status).toBe(2);
  });

  it('erasing a person keeps the log fully verifiable', async () => {
    const creator = await stack.userWithRoles(['creator'], admin);
    const clip = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: 'my face, my name: Jane Example' } });
    await stack.waitForState(clip.body.id, admin, ['AWAITING_REVIEW']);
    const hook = await stack.call('/api/v1/webhooks', { token: creator.token, body: { url: 'http://127.0.0.1:9/jane-example-hook' } });
    expect(hook.status).toBe(201);
    const erased = await stack.call(`/api/v1/users/${creator.id}/personal-data`, { method: 'DELETE', token: admin });
    expect(erased.body).toEqual({ clipsErased: 1 });
    const leftovers = await stack.db(async (db) => ({
      users: (await db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [creator.email])).rows[0].n,
      prompts: (await db.query('SELECT prompt FROM clips WHERE id = $1', [clip.body.id])).rows[0].prompt,
      log: (await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE body::text LIKE '%Jane Example%' OR body::text LIKE $1`, [`%${creator.email}%`])).rows[0].n,
      webhooks: (await db.query(`SELECT count(*)::int AS n FROM webhooks WHERE url LIKE '%jane-example%' OR (user_id = $1 AND disabled_at IS NULL)`, [creator.id])).rows[0].n,
    }));
    expect(leftovers).toEqual({ users: 0, prompts: null, log: 0, webhooks: 0 });
    await waitIntegrated();
    expect(await verify()).toMatchObject({ ok: true });
    expect((await stack.call('/api/v1/auth/login', { body: { email: creator.email, password: 'password-for-tests' } })).status).toBe(401);
  });

  it('searches events by clip, actor, action and time, and pages with a cursor', async () => {
    const page = await stack.call('/api/v1/audit/events?action=clip.transition&limit=2', { token: compliance });
    expect(page.body.items).toHaveLength(2);
    const next = await stack.call(`/api/v1/audit/events?action=clip.transition&limit=2&cursor=${page.body.nextCursor}`, { token: compliance });
    expect(next.body.items[0].seq).toBeGreaterThan(page.body.items[1].seq);
    const clipId = page.body.items[0].subjectId;
    const timeline = await stack.call(`/api/v1/audit/clips/${clipId}/timeline`, { token: compliance });
    expect(timeline.body.items.every((e: { subjectId: string }) => e.subjectId === clipId)).toBe(true);
    expect(timeline.body.items.map((e: { action: string }) => e.action)).toContain('clip.submitted');
    const future = await stack.call(`/api/v1/audit/events?from=${new Date(Date.now() + 3600_000).toISOString()}`, { token: compliance });
    expect(future.body.items).toEqual([]);
    expect((await stack.call('/api/v1/audit/events?from=yesterday', { token: compliance })).status).toBe(400);
  });

  it('keeps one total order with no gaps while separate processes append at once, one of them killed mid-run', async () => {
    const before = await head();
    // Each writer prints an event's id once its transaction has committed.
    const script = `
      const { DataSource } = require('typeorm');
      const { AuditLog } = require(${JSON.stringify(join(ROOT, 'backend/dist/src/modules/audit/audit-log.js'))});
      (async () => {
        const ds = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
        const log = new AuditLog();
        for (let i = 0; i < Number(process.argv[2]); i++) {
          const id = await ds.transaction((m) => log.append(m, { actor: 'system', action: 'test.parallel', subjectType: 'writer', subjectId: process.argv[1], body: { i } }));
          process.stdout.write(id + '\\n');
        }
        await ds.destroy();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const committed: number[] = [];
    const writer = (name: string, count: number) => {
      const child = spawn(process.execPath, ['-e', script, name, String(count)], { env: { ...process.env, DATABASE_URL: stack.env.DATABASE_URL }, cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      createInterface({ input: child.stdout! }).on('line', (id) => committed.push(Number(id)));
      return { child, exit: new Promise<number | null>((r) => child.once('exit', r)) };
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(`w${w}`, 100));
    const doomed = writer('killed', 1_000_000);
    await stack.waitFor(async () => committed.length > 150, 30_000, 'the writers to get going');
    doomed.child.kill('SIGKILL');
    expect(await Promise.all(writers.map((w) => w.exit))).toEqual([0, 0, 0, 0]);
    await doomed.exit;
    await waitIntegrated();
    const seqs = await stack.db((db) => db.query('SELECT seq::int AS seq FROM audit_events WHERE seq > $1 ORDER BY seq', [before]).then((r) => r.rows.map((x) => x.seq)));
    expect(seqs.length).toBeGreaterThanOrEqual(committed.length);
    expect(seqs).toEqual(seqs.map((_, i) => before + 1 + i));
    // Every event a writer saw commit is in the log; the killed writer's unfinished transaction left nothing.
    const placed = await stack.db((db) => db.query('SELECT count(*)::int AS n FROM audit_events WHERE id = ANY($1) AND seq IS NOT NULL', [committed]).then((r) => r.rows[0].n));
    expect(placed).toBe(committed.length);
    const unplaced = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE seq IS NULL AND action = 'test.parallel'`).then((r) => r.rows[0].n));
    expect(unplaced).toBe(0);
    await waitIntegrated();
    expect(await verify()).toMatchObject({ ok: true });
  });
});
