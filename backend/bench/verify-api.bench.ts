import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../src/engines/media';
import { makeClip } from '../test/support/media-corpus';
import { startStack, type Stack } from '../test/support/stack';
import { percentile, type BenchRunner } from './bench-section';

const PUBLISHERS = 8;

interface Load {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  statuses: Record<string, number>;
}

/** `perPublisher` requests from each of PUBLISHERS concurrent callers; every answer's status is counted. */
async function load(publishers: string[], perPublisher: number, send: (token: string) => Promise<number>): Promise<Load> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  await Promise.all(
    publishers.map(async (token) => {
      for (let i = 0; i < perPublisher; i++) {
        const t = performance.now();
        const status = await send(token);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return { requests, seconds: round(seconds, 2), perSecond: round(requests / seconds, 2), p50Ms: Math.round(percentile(latencies, 50)), p95Ms: Math.round(percentile(latencies, 95)), statuses };
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

async function verifyRequest(stack: Stack, token: string, file: Buffer, name: string): Promise<number> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${stack.baseUrl}/api/v1/verify`, { method: 'POST', headers: { 'x-api-key': token }, body: form });
  await res.arrayBuffer();
  return res.status;
}

/** A released (watermarked, signed) clip, downloaded as a publisher would receive it. */
async function releasedClip(stack: Stack, dir: string, seconds: number): Promise<Buffer> {
  const admin = await stack.login();
  const creator = await stack.userWithRoles(['creator'], admin);
  const reviewer = await stack.userWithRoles(['reviewer'], admin);
  const form = new FormData();
  form.append('generator', 'bench-model');
  form.append('file', new Blob([await readFile(await makeClip(dir, { width: 1280, height: 720, seconds }))]), 'clip.mp4');
  const submitted = await stack.call('/api/v1/clips/upload', { token: creator.token, body: form });
  if (submitted.status !== 202) throw new Error(`upload failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  const id = submitted.body.id as string;
  await stack.waitForState(id, admin, ['AWAITING_REVIEW'], 300_000);
  await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId: id } });
  await stack.call(`/api/v1/review/${id}/decision`, { token: reviewer.token, body: { decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' } });
  const released = await stack.waitForState(id, admin, ['RELEASED', 'FAILED'], 300_000);
  if (released.state !== 'RELEASED' || !released.release?.signed) throw new Error(`clip did not release signed: ${released.state} ${released.failureReason}`);
  const download = await fetch(`${stack.baseUrl}/api/v1/clips/${id}/download`, { headers: { authorization: `Bearer ${admin}` } });
  return Buffer.from(await download.arrayBuffer());
}

/**
 * Verification throughput of POST /api/v1/verify under 8 concurrent
 * publishers (API keys), for an intact signed clip (the manifest answers) and
 * a stripped copy (the watermark detector answers), next to baselines measured
 * in the same run: SHA-256 of the same file in process, and GET /health/live
 * from the same 8 callers (the HTTP stack's own ceiling).
 */
export const run: BenchRunner = async ({ workDir, quick }) => {
  const dir = join(workDir, 'verify-api');
  await mkdir(dir, { recursive: true });
  const perPublisher = quick ? 2 : 6;
  const stack = await startStack({ workers: 1, env: { LOG_LEVEL: 'warn', VERIFY_RATE_PER_MINUTE: '100000', VERIFY_RATE_BURST: '100000' } });
  try {
    const intact = await releasedClip(stack, dir, quick ? 3 : 10);
    const intactPath = join(dir, 'intact.mp4');
    const strippedPath = join(dir, 'stripped.mp4');
    await writeFile(intactPath, intact);
    await runProcess(resolveFfmpegBinaries().ffmpeg, ['-v', 'error', '-y', '-i', intactPath, '-map', '0', '-c', 'copy', strippedPath], { timeoutMs: 60_000 });
    const stripped = await readFile(strippedPath);

    const admin = await stack.login();
    const keys: string[] = [];
    for (let i = 0; i < PUBLISHERS; i++) {
      const publisher = await stack.userWithRoles(['publisher'], admin);
      keys.push((await stack.call('/api/v1/api-keys', { token: admin, body: { name: `bench-${i}`, userId: publisher.id } })).body.key);
    }

    const hashRuns = quick ? 5 : 20;
    const hashStart = performance.now();
    for (let i = 0; i < hashRuns; i++) createHash('sha256').update(intact).digest();
    const sha256Ms = (performance.now() - hashStart) / hashRuns;

    const health = await load(keys, perPublisher * 10, async () => (await fetch(`${stack.baseUrl}/health/live`).then(async (r) => (await r.arrayBuffer(), r.status))));
    // One warm-up each: worker threads and ffmpeg start on first use.
    await verifyRequest(stack, keys[0], intact, 'intact.mp4');
    await verifyRequest(stack, keys[0], stripped, 'stripped.mp4');
    const intactLoad = await load(keys, perPublisher, (k) => verifyRequest(stack, k, intact, 'intact.mp4'));
    const strippedLoad = await load(keys, perPublisher, (k) => verifyRequest(stack, k, stripped, 'stripped.mp4'));

    const json = {
      publishers: PUBLISHERS,
      fileBytes: intact.length,
      sha256Ms: round(sha256Ms, 2),
      healthLive: health,
      intact: { ...intactLoad, p50OverSha256: round(intactLoad.p50Ms / sha256Ms, 1) },
      stripped: { ...strippedLoad, p50OverSha256: round(strippedLoad.p50Ms / sha256Ms, 1) },
    };
    const row = (name: string, l: Load, ratio: string) =>
      `| ${name} | ${l.requests} | ${l.perSecond} | ${l.p50Ms} | ${l.p95Ms} | ${ratio} | ${Object.entries(l.statuses).map(([s, n]) => `${s}×${n}`).join(' ')} |`;
    const markdown = [
      `${PUBLISHERS} concurrent publishers (API keys), ${(intact.length / 1e6).toFixed(1)} MB 720p clip; SHA-256 of the same file in process: ${sha256Ms.toFixed(1)} ms.`,
      '',
      '| request | requests | per second | p50 ms | p95 ms | p50 / SHA-256 | statuses |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('GET /health/live (baseline)', health, '–'),
      row('POST /verify, intact signed clip (C2PA answers)', intactLoad, `${json.intact.p50OverSha256}×`),
      row('POST /verify, stripped copy (watermark answers)', strippedLoad, `${json.stripped.p50OverSha256}×`),
    ].join('\n');
    return { title: 'Publisher verification API', json, markdown };
  } finally {
    await stack.stop();
  }
};
