import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { migrations } from '../../database/migrations';
import { CheckpointSigner, generateDevelopmentKey } from '../../engines/merkle-log';
import { AuditLog, AuditOutsideTransactionError } from './audit-log';
import { AuditLogIntegrator } from './audit-log-integrator';
import { AuditTrail } from './audit-trail';

/**
 * Appending, sequencing and integrating against real Postgres, in a database
 * of this file's own (other test files' integrators must not take turns here).
 */
describe('audit log: appends without a shared lock, sequenced after commit', () => {
  const name = `provenant_sequencer_${randomBytes(4).toString('hex')}`;
  const url = (db: string) => Object.assign(new URL(process.env.DATABASE_URL!), { pathname: `/${db}` }).toString();
  const config = loadConfig({ AUDIT_LOG_ORIGIN: 'sequencer.test/audit' });
  const signer = CheckpointSigner.fromPrivateKeyPem(generateDevelopmentKey().privateKeyPem);
  const audit = new AuditLog();
  let admin: Client;
  let ds: DataSource;
  let integrator: AuditLogIntegrator;
  let trail: AuditTrail;

  const entry = (i: number) => ({ actor: 'system', action: 'audit.verified', subjectType: 'audit_log', subjectId: `t${i}`, body: { ok: true, checkedEvents: i, signedTreeSize: 0, problem: null } }) as const;
  const appendCommitted = (n: number) => ds.transaction((m) => audit.appendMany(m, Array.from({ length: n }, (_, i) => entry(i))));
  /** The state after everything committed so far has been placed. */
  const settled = async () => {
    await integrator.catchUp();
    return state();
  };
  const state = async () => {
    const [row] = await ds.query(`
      SELECT (SELECT size::int FROM audit_log_head) AS head,
             (SELECT count(*)::int FROM audit_events WHERE seq IS NOT NULL) AS sequenced,
             (SELECT coalesce(max(seq), 0)::int FROM audit_events) AS "maxSeq",
             (SELECT count(*)::int FROM audit_events WHERE seq IS NULL) AS pending,
             (SELECT count(*)::int FROM audit_merkle_nodes WHERE level = 0) AS leaves`);
    return row as { head: number; sequenced: number; maxSeq: number; pending: number; leaves: number };
  };
  /** The invariants a kill must never break: positions form 1..head, each with its leaf. */
  const expectConsistent = async () => {
    const s = await state();
    expect({ sequenced: s.sequenced, maxSeq: s.maxSeq, leaves: s.leaves }).toEqual({ sequenced: s.head, maxSeq: s.head, leaves: s.head });
  };

  beforeAll(async () => {
    admin = new Client({ connectionString: url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    ds = await new DataSource({ type: 'postgres', url: url(name), migrations, extra: { max: 6 } }).initialize();
    await ds.runMigrations({ transaction: 'each' });
    integrator = new AuditLogIntegrator(ds, signer, config);
    trail = new AuditTrail(ds, audit, integrator, signer, config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('refuses an append outside a transaction', async () => {
    await expect(audit.append(ds.manager, entry(0))).rejects.toBeInstanceOf(AuditOutsideTransactionError);
    expect((await state()).pending).toBe(0);
  });

  it('lets a writer commit while another writer\'s append is still uncommitted, and places only committed events', async () => {
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstId = 0;
    const first = ds.transaction(async (m) => {
      firstId = await audit.append(m, entry(1));
      await firstHolds;
    });
    while (firstId === 0) await new Promise((r) => setTimeout(r, 5));
    // Under a lock held until commit, this would wait for the first writer for ever.
    let timer: NodeJS.Timeout | undefined;
    const secondId = await Promise.race([
      ds.transaction((m) => audit.append(m, entry(2))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the second writer waited for the first')), 5_000))),
    ]).finally(() => clearTimeout(timer));
    expect(secondId).toBeGreaterThan(firstId);

    await integrator.integrate();
    const seqOf = async (id: number) => (await ds.query(`SELECT seq::int FROM audit_events WHERE id = $1`, [id]))[0]?.seq ?? null;
    expect(await seqOf(firstId)).toBeNull();
    const secondSeq = await seqOf(secondId);
    expect(secondSeq).toBe((await state()).head);

    releaseFirst();
    await first;
    expect(await integrator.seqOf(firstId)).toBe(secondSeq + 1);
    await expectConsistent();
    expect(await trail.verify('system')).toMatchObject({ ok: true });
  });

  it('leaves no event and no gap behind a writer that rolls back', async () => {
    const before = await settled();
    await expect(
      ds.transaction(async (m) => {
        await audit.append(m, entry(3));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await appendCommitted(2);
    await integrator.catchUp();
    const after = await state();
    expect(after.head).toBe(before.head + 2);
    await expectConsistent();
  });

  it('keeps an event iff its writer committed, whatever statement the writer dies at', async () => {
    const before = await settled();
    // A writer's transaction: the append, then the change it records; the connection dies after either.
    for (const dieAfter of ['append', 'change'] as const) {
      await expect(
        ds.transaction(async (m) => {
          await audit.append(m, entry(4));
          if (dieAfter === 'change') await m.query(`SELECT 1`);
          await m.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
        }),
      ).rejects.toThrow(/terminat/);
    }
    await integrator.catchUp();
    expect(await state()).toMatchObject({ head: before.head, pending: 0 });
    await expectConsistent();
  });

  it('recovers from a sequencer killed at every statement of its turn, and the log verifies', async () => {
    let completed = false;
    let killPoints = 0;
    for (let killAt = 1; !completed; killAt++, killPoints++) {
      await appendCommitted(3);
      const before = await state();
      const dying = new AuditLogIntegrator(dyingAt(ds, killAt), signer, config);
      completed = await dying.integrate().then(
        () => true,
        (err: Error) => {
          expect(err.message).toMatch(/terminat|Connection terminated/);
          return false;
        },
      );
      if (!completed) {
        // Killed mid-turn: nothing of the turn is left, the pending events wait for the next one.
        expect(await state()).toEqual(before);
      }
      await expectConsistent();
      expect(killAt).toBeLessThan(50);
    }
    // Turn, sizes, pending events, positions, leaves, head, tree nodes, checkpoint: each was a kill point.
    expect(killPoints).toBeGreaterThanOrEqual(8);
    await appendCommitted(1);
    expect(await integrator.catchUp()).toBe(true);
    expect(await state()).toMatchObject({ pending: 0 });
    await expectConsistent();
    expect(await trail.verify('system')).toMatchObject({ ok: true });
  });

  it('gives 8 concurrent writers one gap-free order in which each writer\'s events keep theirs', async () => {
    const before = await settled();
    const perWriter = 40;
    const turns: Promise<unknown>[] = [];
    const ids = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const mine: number[] = [];
        for (let i = 0; i < perWriter; i++) {
          mine.push(await ds.transaction((m) => audit.append(m, entry(i))));
          if (i % 10 === 0) turns.push(integrator.integrate());
        }
        return mine;
      }),
    );
    await Promise.all(turns);
    await integrator.catchUp();
    const seqs = new Map<number, number>(
      (await ds.query(`SELECT id::int, seq::int FROM audit_events WHERE id = ANY($1)`, [ids.flat()])).map((r: { id: number; seq: number }) => [r.id, r.seq]),
    );
    expect([...seqs.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 8 * perWriter }, (_, i) => before.head + 1 + i));
    for (const mine of ids) {
      const order = mine.map((id) => seqs.get(id)!);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    await expectConsistent();
    expect(await trail.verify('system')).toMatchObject({ ok: true });
  });
});

/**
 * A DataSource whose transactions lose their connection at the `killAt`-th
 * statement, as they do when the process running them is killed: Postgres
 * terminates the backend and rolls the transaction back.
 */
function dyingAt(ds: DataSource, killAt: number): DataSource {
  const transaction = <T>(fn: (m: EntityManager) => Promise<T>) =>
    ds.transaction((m) => {
      let statements = 0;
      const query = async (sql: string, params?: unknown[]) => {
        if (++statements === killAt) await m.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
        return m.query(sql, params);
      };
      return fn(new Proxy(m, { get: (target, key) => (key === 'query' ? query : Reflect.get(target, key)) }));
    });
  return { transaction } as unknown as DataSource;
}
