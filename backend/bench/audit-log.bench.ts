import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
  body: { from: 'ANALYZING', to: 'AWAITING_REVIEW', reason: null },
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

const WRITER_PROCESSES = 2;
const CONCURRENCY = [1, 8, 32];
const GOAL_EVENTS_PER_S_AT_8 = 2_000;
const GOAL_PROOF_P99_MS = 1_000;

/**
 * Audit figures on this machine, Postgres local (issues 3 and 17):
 * - append rate with 1, 8 and 32 concurrent writers spread over two
 *   processes, one event per transaction, until a signed checkpoint covers
 *   everything (so proofs are available), next to the same writers
 *   committing transactions of one plain row;
 * - commit → available inclusion proof (p50/p99) while 8 writers append;
 * - inclusion-proof latency at 1,000,000 events next to a primary-key SELECT.
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
    // 1. Append rate across two processes, next to plain one-row transactions from the same writers.
    await ds.query('CREATE TABLE baseline_events (LIKE audit_events INCLUDING DEFAULTS)');
    const transactions = quick ? 800 : 4_000;
    const rates: { writers: number; auditPerS: number; plainPerS: number; ratio: number }[] = [];
    for (const writers of CONCURRENCY) {
      const appendMs = await inWriterProcesses(url, 'audit', writers, transactions);
      const [, catchUpMs] = await timed(() => integrator.catchUp()); // until the last event is in a signed checkpoint
      const auditMs = appendMs + catchUpMs;
      const plainMs = await inWriterProcesses(url, 'plain', writers, transactions);
      const auditPerS = Math.round(transactions / (auditMs / 1000));
      const plainPerS = Math.round(transactions / (plainMs / 1000));
      rates.push({ writers, auditPerS, plainPerS, ratio: +(plainPerS / auditPerS).toFixed(2) });
    }

    // 2. Commit → proof while 8 writers keep appending: one probe event every 50 ms, polled every 5 ms.
    const probes = quick ? 40 : 200;
    const background = inWriterProcesses(url, 'audit', 8, quick ? 4_000 : 20_000);
    await new Promise((r) => setTimeout(r, 2_000)); // until the writers have started
    integrator.onApplicationBootstrap(); // this process takes turns too, as every api and worker does
    const proofMs: number[] = [];
    for (let i = 0; i < probes; i++) {
      const id = await ds.transaction((m) => log.append(m, event(i)));
      const committed = process.hrtime.bigint();
      for (;;) {
        const [row] = await ds.query(
          `SELECT e.seq FROM audit_events e WHERE e.id = $1 AND EXISTS (SELECT FROM audit_checkpoints c WHERE c.tree_size >= e.seq)`,
          [id],
        );
        if (row) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      proofMs.push(Number(process.hrtime.bigint() - committed) / 1e6);
      await new Promise((r) => setTimeout(r, 50));
    }
    await background;
    integrator.onApplicationShutdown();
    proofMs.sort((a, b) => a - b);
    const proofLatency = { p50: Math.round(percentile(proofMs, 50)), p99: Math.round(percentile(proofMs, 99)), max: Math.round(proofMs[proofMs.length - 1]) };

    // 2. Inclusion proofs at 1,000,000 events (loaded in large batches, then integrated).
    const target = quick ? 100_000 : 1_000_000;
    const [, loadMs] = await timed(async () => {
      await integrator.catchUp();
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
    const at8 = rates.find((r) => r.writers === 8)!;
    const json = {
      writerProcesses: WRITER_PROCESSES,
      transactionsPerRun: transactions,
      appendRates: rates,
      goalEventsPerSecondAt8: GOAL_EVENTS_PER_S_AT_8,
      commitToProofMs: { ...proofLatency, probes, checkpointIntervalMs: cfg.AUDIT_CHECKPOINT_INTERVAL_MS, goalP99: GOAL_PROOF_P99_MS },
      proofsAt: target,
      loadMs: Math.round(loadMs),
      integrateMs: Math.round(integrateMs),
      inclusionProofMs: proof,
      primaryKeySelectMs: pk,
    };
    const markdown = [
      `| concurrent writers (over ${WRITER_PROCESSES} processes), one event per transaction | audit events/s, proofs available | baseline: one-row transactions/s | baseline ÷ audit |`,
      '| --- | --- | --- | --- |',
      ...rates.map((r) => `| ${r.writers} | ${r.auditPerS} | ${r.plainPerS} | ${r.ratio} |`),
      '',
      `Goal at 8 writers: ≥ ${GOAL_EVENTS_PER_S_AT_8.toLocaleString('en')} events/s (${at8.auditPerS >= GOAL_EVENTS_PER_S_AT_8 ? 'met' : 'missed'}).`,
      '',
      `| commit → inclusion proof available, ${probes} probes while 8 writers append (checkpoint interval ${cfg.AUDIT_CHECKPOINT_INTERVAL_MS} ms) | ms |`,
      '| --- | --- |',
      `| p50 | ${proofLatency.p50} |`,
      `| p99 (goal ≤ ${GOAL_PROOF_P99_MS}) | ${proofLatency.p99} |`,
      `| max | ${proofLatency.max} |`,
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

/**
 * Runs `transactions` commits split over WRITER_PROCESSES child processes
 * with `writers` concurrent loops in all; returns the ms from the start
 * signal until every process has reported (connecting is not counted).
 */
async function inWriterProcesses(url: string, mode: 'audit' | 'plain', writers: number, transactions: number): Promise<number> {
  const script = join(__dirname, 'audit-writer-process.js');
  const children = Array.from({ length: WRITER_PROCESSES }, (_, p) => {
    // 1 writer runs in one process only; more are split evenly.
    const mine = Math.floor(writers / WRITER_PROCESSES) + (p < writers % WRITER_PROCESSES ? 1 : 0);
    return mine === 0 ? null : spawn(process.execPath, [script, url, mode, String(mine), String(Math.round((transactions * mine) / writers))], { stdio: ['pipe', 'pipe', 'inherit'] });
  }).filter((c) => c !== null);
  const done = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()) && out.includes('\n') && resolve());
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`audit writer process exited ${code}`))));
      }),
  );
  // Both processes connect first, then start together.
  await new Promise((r) => setTimeout(r, 1_500));
  const started = process.hrtime.bigint();
  for (const child of children) child.stdin!.end('go\n');
  await Promise.all(done);
  return Number(process.hrtime.bigint() - started) / 1e6;
}
