import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { runMigrations } from '../src/database/migrate';
import { CheckpointSigner, generateDevelopmentKey, MerkleLog } from '../src/engines/merkle-log';
import type { AuditEntry } from '@provenant/shared';
import { AuditLog } from '../src/modules/audit/audit-log';
import { AuditLogIntegrator } from '../src/modules/audit/audit-log-integrator';
import { MerkleNodeRepository } from '../src/modules/audit/merkle-node.repository';
import { percentile, type BenchRunner } from './bench-section';

const event = (i: number): AuditEntry => ({
  actor: 'worker',
  action: 'clip.transition',
  subjectType: 'clip',
  subjectId: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'),
  body: { from: 'ANALYZING', to: 'WATERMARKING', reason: null },
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

/**
 * Issue-3 figures on this machine, Postgres local: sustained append rate
 * until a signed checkpoint covers everything (so proofs are available),
 * next to plain INSERTs into an unlogged-free table of the same shape; and
 * inclusion-proof latency at 1,000,000 events next to a primary-key SELECT.
 */
export const run: BenchRunner = async ({ quick }) => {
  const dbName = `provenant_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = `postgres://postgres@127.0.0.1:5432/${dbName}`;
  await runMigrations(url);
  const ds = await new DataSource({ type: 'postgres', url, extra: { max: 24 } }).initialize();
  const cfg = { ...loadConfig({}), AUDIT_LOG_ORIGIN: 'bench.provenant/audit' };
  const signer = CheckpointSigner.fromPrivateKeyPem(generateDevelopmentKey().privateKeyPem);
  const integrator = new AuditLogIntegrator(ds, signer, cfg);
  const log = new AuditLog();
  try {
    // 1. Sustained appends: 16 concurrent writers, one event per transaction and 20 per transaction.
    const writers = 16;
    const perWriter = quick ? 100 : 500;
    const rates: Record<string, number> = {};
    await ds.query('CREATE TABLE baseline_events (LIKE audit_events INCLUDING ALL)');
    let seq = 0;
    for (const batch of [1, 20]) {
      const [, ms] = await timed(async () => {
        let integrating = true;
        const loop = (async () => {
          // As in production: the integrator runs on an interval next to the writers.
          while (integrating) {
            await integrator.integrate();
            await new Promise((r) => setTimeout(r, cfg.AUDIT_CHECKPOINT_INTERVAL_MS));
          }
        })();
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i += batch) {
              await ds.transaction((m) => log.appendMany(m, Array.from({ length: batch }, (_, k) => event(w * perWriter + i + k))));
            }
          }),
        );
        integrating = false;
        await loop;
        await integrator.integrate(); // until the last event is in a signed checkpoint
      });
      rates[`audit append, ${batch} per transaction (events/s, proofs available)`] = Math.round((writers * perWriter) / (ms / 1000));
      const [, baseMs] = await timed(() =>
        Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i += batch) {
              const rows = Array.from({ length: batch }, (_, k) => event(w * perWriter + i + k));
              await ds.transaction((m) =>
                m.query(
                  `INSERT INTO baseline_events (seq, at, actor, action, subject_type, subject_id, body)
                   SELECT s, now(), a, 'x', 'clip', 'y', '{}' FROM unnest($1::bigint[], $2::text[]) AS t(s, a)`,
                  [rows.map(() => ++seq), rows.map((r) => r.actor)],
                ),
              );
            }
          }),
        ),
      );
      rates[`baseline: plain INSERT, ${batch} per transaction (rows/s)`] = Math.round((writers * perWriter) / (baseMs / 1000));
    }

    // 2. Inclusion proofs at 1,000,000 events (loaded in large batches, then integrated).
    const target = quick ? 100_000 : 1_000_000;
    const [, loadMs] = await timed(async () => {
      const [{ size }] = await ds.query('SELECT size FROM audit_log_head');
      for (let n = Number(size); n < target; n += 10_000) {
        const count = Math.min(10_000, target - n);
        await ds.transaction((m) => log.appendMany(m, Array.from({ length: count }, (_, k) => event(n + k))));
      }
    });
    const [, integrateMs] = await timed(() => integrator.integrate());
    const samples: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < (quick ? 200 : 1000); i++) {
      const seq = 1 + Math.floor(Math.random() * target);
      const [, ms] = await timed(async () => {
        const merkle = await MerkleLog.open(new MerkleNodeRepository(ds.manager), target);
        await merkle.inclusionProof(seq - 1, target);
      });
      samples.push(ms);
      const [, b] = await timed(() => ds.query('SELECT body FROM audit_events WHERE seq = $1', [seq]));
      baseline.push(b);
    }
    samples.sort((a, b) => a - b);
    baseline.sort((a, b) => a - b);
    const proof = { p50: +percentile(samples, 50).toFixed(2), p99: +percentile(samples, 99).toFixed(2) };
    const pk = { p50: +percentile(baseline, 50).toFixed(2), p99: +percentile(baseline, 99).toFixed(2) };
    const json = { writers, appendRates: rates, proofsAt: target, loadMs: Math.round(loadMs), integrateMs: Math.round(integrateMs), inclusionProofMs: proof, primaryKeySelectMs: pk };
    const markdown = [
      `| sustained append (${writers} concurrent writers, Postgres on this machine) | per second |`,
      '| --- | --- |',
      ...Object.entries(rates).map(([k, v]) => `| ${k} | ${v} |`),
      '',
      `| at ${target.toLocaleString('en')} events | p50 ms | p99 ms |`,
      '| --- | --- | --- |',
      `| inclusion proof (open tree + audit path from Postgres) | ${proof.p50} | ${proof.p99} |`,
      `| baseline: SELECT one event by primary key | ${pk.p50} | ${pk.p99} |`,
      '',
      `Loading ${target.toLocaleString('en')} events took ${(loadMs / 1000).toFixed(1)} s; integrating them into the tree and signing took ${(integrateMs / 1000).toFixed(1)} s.`,
    ].join('\n');
    return { title: 'audit-log', json, markdown };
  } finally {
    await ds.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
};
