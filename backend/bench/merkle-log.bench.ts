import { createHash, randomInt } from 'node:crypto';
import {
  type AuditEvent,
  AuditLogVerifier,
  CheckpointSigner,
  InMemoryHashStore,
  MerkleLog,
  auditEventLeafHash,
  generateDevelopmentKey,
  hashLeaf,
  verifyConsistency,
  verifyExport,
  verifyInclusion,
  writeAuditExport,
} from '../src/engines/merkle-log';
import type { HashStore, NodeId } from '../src/engines/merkle-log';
import { percentile, type BenchRunner } from './bench-section';

const ORIGIN = 'provenant.bench/audit';

/**
 * Issue-3 figures for the plain engine with the in-memory hash store: event
 * hashing and append rates, inclusion and consistency proof latency at
 * 1,000,000 leaves, and full verification rates. Baseline: raw SHA-256 of
 * 65-byte inputs (one interior node) in the same run, so rates can be read
 * as "SHA-256 calls per event". Postgres-backed figures are the lead's.
 */
export const run: BenchRunner = async ({ quick }) => {
  const treeSize = quick ? 20_000 : 1_000_000;
  const rateEvents = quick ? 5_000 : 50_000;
  const proofSamples = quick ? 200 : 5_000;

  const sha256 = (n: number) => {
    const input = Buffer.alloc(65, 1);
    for (let i = 0; i < n; i++) createHash('sha256').update(input).digest();
  };
  const events = makeEvents(rateEvents);
  // Warm-up, so the first measured loop does not pay for JIT compilation.
  sha256(20_000);
  events.slice(0, 2_000).forEach(auditEventLeafHash);

  const sha256PerSec = rate(quick ? 50_000 : 500_000, sha256);
  const eventHashPerSec = rate(events.length, () => {
    for (const event of events) auditEventLeafHash(event);
  });

  const appendLog = await MerkleLog.open(new InMemoryHashStore(), 0);
  const appendEventsPerSec = await rateAsync(events.length, async () => {
    for (let i = 0; i < events.length; i += 1000) await appendLog.append(events.slice(i, i + 1000).map(auditEventLeafHash));
  });

  const store = new CountingStore();
  const big = await MerkleLog.open(store, 0);
  const appendLeavesPerSec = await rateAsync(treeSize, async () => {
    for (let start = 0; start < treeSize; start += 10_000) {
      const count = Math.min(10_000, treeSize - start);
      await big.append(Array.from({ length: count }, (_, i) => counterLeaf(start + i)));
    }
  });
  const root = big.rootHash();

  store.reads = 0;
  const inclusionMs: number[] = [];
  const verifyMs: number[] = [];
  for (let s = 0; s < proofSamples; s++) {
    const index = randomInt(treeSize);
    const t0 = process.hrtime.bigint();
    const proof = await big.inclusionProof(index);
    const t1 = process.hrtime.bigint();
    const ok = verifyInclusion(index, treeSize, counterLeaf(index), proof, root);
    const t2 = process.hrtime.bigint();
    if (!ok) throw new Error(`inclusion proof for leaf ${index} did not verify`);
    inclusionMs.push(Number(t1 - t0) / 1e6);
    verifyMs.push(Number(t2 - t1) / 1e6);
  }
  const nodesPerInclusionProof = store.reads / proofSamples;

  const consistencyMs: number[] = [];
  for (let s = 0; s < proofSamples / 5; s++) {
    const fromSize = 1 + randomInt(treeSize - 1);
    const t0 = process.hrtime.bigint();
    const proof = await big.consistencyProof(fromSize);
    consistencyMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!verifyConsistency(fromSize, treeSize, await big.rootAt(fromSize), root, proof)) throw new Error(`consistency ${fromSize} failed`);
  }

  // Full verification (what GET /audit/verify and the CLI do) over the append log.
  const key = generateDevelopmentKey();
  const signer = CheckpointSigner.fromPrivateKeyPem(key.privateKeyPem);
  const note = signer.sign({ origin: ORIGIN, treeSize: appendLog.size, rootHash: appendLog.rootHash(), timestamp: new Date().toISOString() });
  const recorded = await appendLog.leafHashes(0, appendLog.size);
  const verifyLogPerSec = rate(events.length, () => {
    const verifier = new AuditLogVerifier({ origin: ORIGIN, publicKeyPem: key.publicKeyPem, checkpoints: [note] });
    verifier.addEvents(events);
    verifier.addRecordedLeafHashes(recorded);
    if (!verifier.finish().ok) throw new Error('log verification failed');
  });

  const lines: string[] = [];
  const exportWritePerSec = await rateAsync(events.length, async () => {
    const request = { origin: ORIGIN, publicKeyPem: key.publicKeyPem, checkpoints: [note], firstSeq: 1, lastSeq: events.length, events };
    for await (const line of writeAuditExport(appendLog, request)) lines.push(line);
  });
  const exportVerifyPerSec = await rateAsync(events.length, async () => {
    if (!(await verifyExport(lines, key.publicKeyPem)).ok) throw new Error('export verification failed');
  });

  inclusionMs.sort((a, b) => a - b);
  verifyMs.sort((a, b) => a - b);
  consistencyMs.sort((a, b) => a - b);
  const p = (sorted: number[], q: number) => +percentile(sorted, q).toFixed(3);
  const json = {
    treeSize,
    rateEvents,
    baseline: { sha256PerSec },
    eventHashPerSec,
    appendEventsPerSec,
    appendLeavesPerSec,
    inclusionProof: { p50Ms: p(inclusionMs, 50), p99Ms: p(inclusionMs, 99), nodesRead: +nodesPerInclusionProof.toFixed(1), samples: proofSamples },
    inclusionVerify: { p50Ms: p(verifyMs, 50), p99Ms: p(verifyMs, 99) },
    consistencyProof: { p50Ms: p(consistencyMs, 50), p99Ms: p(consistencyMs, 99), samples: consistencyMs.length },
    verifyLogPerSec,
    exportWritePerSec,
    exportVerifyPerSec,
    sha256CallsPerEvent: {
      append: +(sha256PerSec / appendEventsPerSec).toFixed(2),
      verifyLog: +(sha256PerSec / verifyLogPerSec).toFixed(2),
      verifyExport: +(sha256PerSec / exportVerifyPerSec).toFixed(2),
    },
  };
  const row = (label: string, value: string, note = '') => `| ${label} | ${value} | ${note} |`;
  const markdown = [
    `In-memory hash store; ${rateEvents.toLocaleString('en')} synthetic audit events; proofs at ${treeSize.toLocaleString('en')} leaves.`,
    '',
    '| measure | value | note |',
    '|---|---|---|',
    row('baseline: raw SHA-256 (65-byte input)', `${sha256PerSec.toLocaleString('en')} /s`),
    row('event encode + leaf hash', `${eventHashPerSec.toLocaleString('en')} events/s`),
    row('append events (hash + tree, batches of 1000)', `${appendEventsPerSec.toLocaleString('en')} events/s`, `${json.sha256CallsPerEvent.append} SHA-256 times per event`),
    row(`append leaf hashes up to ${treeSize.toLocaleString('en')}`, `${appendLeavesPerSec.toLocaleString('en')} leaves/s`),
    row('inclusion proof p50 / p99', `${json.inclusionProof.p50Ms} / ${json.inclusionProof.p99Ms} ms`, `goal p99 < 20 ms; ${json.inclusionProof.nodesRead} nodes read per proof, one store call`),
    row('inclusion proof verify p50 / p99', `${json.inclusionVerify.p50Ms} / ${json.inclusionVerify.p99Ms} ms`),
    row('consistency proof p50 / p99', `${json.consistencyProof.p50Ms} / ${json.consistencyProof.p99Ms} ms`),
    row('full log verification', `${verifyLogPerSec.toLocaleString('en')} events/s`, `${json.sha256CallsPerEvent.verifyLog} SHA-256 times per event`),
    row('export writing (with proofs)', `${exportWritePerSec.toLocaleString('en')} events/s`),
    row('offline export verification', `${exportVerifyPerSec.toLocaleString('en')} events/s`, `${json.sha256CallsPerEvent.verifyExport} SHA-256 times per event`),
  ].join('\n');
  return { title: 'Audit log engine (Merkle tree, in memory)', json, markdown };
};

/** Counts node reads, to report how many lookups a proof needs. */
class CountingStore extends InMemoryHashStore implements HashStore {
  reads = 0;
  override async get(nodes: readonly NodeId[]): Promise<Buffer[]> {
    this.reads += nodes.length;
    return super.get(nodes);
  }
}

function counterLeaf(i: number): Buffer {
  const data = Buffer.alloc(8);
  data.writeBigUInt64BE(BigInt(i));
  return hashLeaf(data);
}

function makeEvents(count: number): AuditEvent[] {
  const start = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    at: new Date(start + i).toISOString().replace('Z', '456Z'),
    actor: `user:${i % 97}`,
    action: ['clip.transition', 'review.claim', 'review.decision', 'auth.login'][i % 4],
    subjectType: 'clip',
    subjectId: `0196f0c2-7a4e-7000-8000-${String(i).padStart(12, '0')}`,
    body: { from: 'AWAITING_REVIEW', to: 'CLAIMED', reasonCode: 'policy.ok.v1', leaseSeconds: 600, mediaSha256: 'ab'.repeat(32) },
  }));
}

function rate(count: number, work: (n: number) => void): number {
  const t0 = process.hrtime.bigint();
  work(count);
  return Math.round(count / (Number(process.hrtime.bigint() - t0) / 1e9));
}

async function rateAsync(count: number, work: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Math.round(count / (Number(process.hrtime.bigint() - t0) / 1e9));
}
