import { openAsBlob } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../src/engines/media';
import { freePort, startStack, type Stack } from '../test/support/stack';
import { awaitReview } from './await-review';
import { percentile, type BenchRunner } from './bench-section';
import { childCpuSecondsDuring, cpuSecondsOf } from './cpu-usage';
import { measureListLatency, type ListLatency } from './list-latency';
import { makeUploadClip, uploadClip, type UploadClip } from './upload-clip';

const WAIT_MS = 30 * 60_000;
const IDLE_SAMPLE_MS = 5_000;

/**
 * Issue-17 figures, all against baselines measured in the same run: an
 * upload (no generator time) from submission to AWAITING_REVIEW, wall time
 * and CPU seconds, next to a plain ffmpeg decode + veryfast encode of the same
 * file; 20 uploads at once through one and then two worker processes; a
 * fresh worker's first upload against its tenth; list latency.
 */
export const run: BenchRunner = async ({ workDir, quick }) => {
  const sizes = quick
    ? { seconds: 3, freshClips: 4, measuredRuns: 1, batchClips: 6, listClips: 2_000, listRequests: 100 }
    : { seconds: 10, freshClips: 10, measuredRuns: 3, batchClips: 20, listClips: 10_000, listRequests: 500 };
  const loadAtStart = loadavg()[0];
  const clip = await makeUploadClip(workDir, { seconds: sizes.seconds });
  const file = await openAsBlob(clip.path, { type: 'video/mp4' });
  const bitrateKbps = Math.round((file.size * 8) / clip.seconds / 1000);

  // Workers are started by the bench, each with a probe port of its own, so their readiness can be awaited.
  const stack = await startStack({ workers: 0, env: { LOG_LEVEL: 'warn' } });
  try {
    const token = await stack.login();
    const upload = (name: string) => uploadClip(stack, token, file, name);

    // A fresh worker: spawn → ready, then its first upload against its tenth.
    const spawned = Date.now();
    await startReadyWorker(stack);
    const workerSpawnToReadyMs = Date.now() - spawned;
    const fresh: UploadRun[] = [];
    for (let i = 0; i < sizes.freshClips; i++) fresh.push(await uploadToReview(stack, token, () => upload(`fresh-${i}.mp4`)));

    // The warm worker's upload against the baseline, run by run, so both see the same load.
    const idleCpuPerSecond = await idleCpuRate(stack);
    const measured: UploadRun[] = [];
    const baselines: BaselineRun[] = [];
    for (let i = 0; i < sizes.measuredRuns; i++) {
      measured.push(await uploadToReview(stack, token, () => upload(`measured-${i}.mp4`)));
      baselines.push(await baselineDecodeEncode(clip.path, join(workDir, `baseline-${i}.mp4`)));
    }

    // Throughput: a batch through the one warm worker, then through two.
    const oneWorker = await batchToReview(stack, sizes.batchClips, clip.seconds, upload);
    await startReadyWorker(stack);
    const twoWorkers = await batchToReview(stack, sizes.batchClips, clip.seconds, upload);

    const list = await measureListLatency(stack, token, { extraClips: sizes.listClips, requests: sizes.listRequests });
    return report({ clip, bitrateKbps, loadAtStart, workerSpawnToReadyMs, fresh, idleCpuPerSecond, measured, baselines, oneWorker, twoWorkers, list });
  } finally {
    await stack.stop();
  }
};

interface UploadRun {
  /** Upload sent → AWAITING_REVIEW seen. */
  ms: number;
  /** The upload request itself (receive, hash, probe, store) until its 202. */
  uploadRequestMs: number;
  /** api + worker processes, their own time and their reaped children's, over `ms`. */
  cpuSeconds: number;
  stageMs: Record<string, number>;
  stagesSpanMs: number;
}

interface BaselineRun {
  ms: number;
  cpuSeconds: number;
}

interface Batch {
  workers: number;
  clips: number;
  wallMs: number;
  clipSecondsPerWallSecond: number;
  cpuSecondsPerClip: number;
  /** Pipeline CPU seconds per wall second: how many of the machine's cores the batch kept busy. */
  coresBusy: number;
  /** The machine's 1-minute load average as the batch was sent and as it ended: other work shares the cores. */
  loadAverage: { atStart: number; atEnd: number };
}

/** The processes that do the pipeline's work; Postgres and Redis are shared servers and not counted. */
function pipelinePids(stack: Stack): number[] {
  return [stack.api, ...stack.workers].filter((c) => c && c.exitCode === null && c.pid).map((c) => c!.pid!);
}

/** Starts one more worker on a probe port of its own and waits until it says it is ready (models loaded). */
async function startReadyWorker(stack: Stack): Promise<void> {
  const port = await freePort();
  stack.startWorker({ WORKER_PORT: String(port) });
  await stack.waitFor(async () => (await stack.callWorker('/health/ready', port)).status === 200, 300_000, `worker ${stack.workers.length} to be ready`);
}

async function uploadToReview(stack: Stack, token: string, upload: () => Promise<string>): Promise<UploadRun> {
  const pids = pipelinePids(stack);
  const cpuBefore = cpuSecondsOf(pids);
  const sent = Date.now();
  const id = await upload();
  const uploadRequestMs = Date.now() - sent;
  const arrived = (await awaitReview(stack, [id], WAIT_MS)).get(id)!;
  const cpuSeconds = cpuSecondsOf(pids) - cpuBefore;
  const clip = (await stack.call(`/api/v1/clips/${id}`, { token })).body;
  const stages: { stage: string; startedAt: string; finishedAt: string }[] = clip.stages;
  const stageMs = Object.fromEntries(stages.map((s) => [s.stage, Date.parse(s.finishedAt) - Date.parse(s.startedAt)])) as Record<string, number>;
  return { ms: arrived - sent, uploadRequestMs, cpuSeconds, stageMs, stagesSpanMs: spanOf(stages.map((s) => [Date.parse(s.startedAt), Date.parse(s.finishedAt)])) };
}

/** Wall time covered by at least one of the intervals: stages that run side by side count once. */
function spanOf(intervals: [number, number][]): number {
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of intervals.sort((a, b) => a[0] - b[0])) {
    if (to > end) total += to - Math.max(from, end);
    end = Math.max(end, to);
  }
  return total;
}

/** What the same pipeline would cost as one plain transcode: decode, x264 veryfast + AAC encode. */
async function baselineDecodeEncode(input: string, output: string): Promise<BaselineRun> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', input, '-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-y', output];
  const start = Date.now();
  const cpuSeconds = await childCpuSecondsDuring(() => runProcess(resolveFfmpegBinaries().ffmpeg, args, { timeoutMs: 600_000 }));
  return { ms: Date.now() - start, cpuSeconds };
}

/** CPU seconds per second the api and worker spend with nothing to do (pollers, audit checkpoints). */
async function idleCpuRate(stack: Stack): Promise<number> {
  const pids = pipelinePids(stack);
  const before = cpuSecondsOf(pids);
  await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
  return (cpuSecondsOf(pids) - before) / (IDLE_SAMPLE_MS / 1000);
}

/** `count` uploads sent at once; wall time from the first send until the last clip is in review. */
async function batchToReview(stack: Stack, count: number, clipSeconds: number, upload: (name: string) => Promise<string>): Promise<Batch> {
  const pids = pipelinePids(stack);
  const cpuBefore = cpuSecondsOf(pids);
  const loadAtStart = loadavg()[0];
  const sent = Date.now();
  const ids = await Promise.all(Array.from({ length: count }, (_, i) => upload(`batch-${stack.workers.length}-${i}.mp4`)));
  const arrivals = await awaitReview(stack, ids, WAIT_MS);
  const wallMs = Math.max(...arrivals.values()) - sent;
  const cpuSeconds = cpuSecondsOf(pids) - cpuBefore;
  return {
    workers: stack.workers.length,
    clips: count,
    wallMs,
    clipSecondsPerWallSecond: +((count * clipSeconds) / (wallMs / 1000)).toFixed(3),
    cpuSecondsPerClip: +(cpuSeconds / count).toFixed(2),
    coresBusy: +(cpuSeconds / (wallMs / 1000)).toFixed(2),
    loadAverage: { atStart: +loadAtStart.toFixed(2), atEnd: +loadavg()[0].toFixed(2) },
  };
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const ratio = (a: number, b: number) => +(a / b).toFixed(2);
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function report(r: {
  clip: UploadClip;
  bitrateKbps: number;
  loadAtStart: number;
  workerSpawnToReadyMs: number;
  fresh: UploadRun[];
  idleCpuPerSecond: number;
  measured: UploadRun[];
  baselines: BaselineRun[];
  oneWorker: Batch;
  twoWorkers: Batch;
  list: ListLatency;
}) {
  const { clip, fresh, measured, baselines, oneWorker, twoWorkers, list } = r;
  const upload = {
    ms: median(measured.map((m) => m.ms)),
    cpuSeconds: +median(measured.map((m) => m.cpuSeconds)).toFixed(2),
    uploadRequestMs: median(measured.map((m) => m.uploadRequestMs)),
    stageMs: Object.fromEntries(Object.keys(measured[0].stageMs).map((s) => [s, median(measured.map((m) => m.stageMs[s]))])),
    stagesSpanMs: median(measured.map((m) => m.stagesSpanMs)),
  };
  const baseline = { ms: median(baselines.map((b) => b.ms)), cpuSeconds: +median(baselines.map((b) => b.cpuSeconds)).toFixed(2) };
  const rest = upload.ms - upload.uploadRequestMs - upload.stagesSpanMs;
  const first = fresh[0];
  const last = fresh[fresh.length - 1];
  const laterMedian = median(fresh.slice(1).map((f) => f.ms));
  const speedUp = ratio(oneWorker.wallMs, twoWorkers.wallMs);
  const clipLabel = `${clip.seconds} s ${clip.width}×${clip.height} H.264/AAC clip`;

  const json = {
    clip: { seconds: clip.seconds, width: clip.width, height: clip.height, bitrateKbps: r.bitrateKbps, photograph: clip.photograph, audio: 'generated (pink noise + 220 Hz tone)' },
    loadAverageAtStart: r.loadAtStart,
    upload: {
      runs: measured.length,
      submissionToReviewMs: upload.ms,
      uploadRequestMs: upload.uploadRequestMs,
      stageMs: upload.stageMs,
      stagesSpanMs: upload.stagesSpanMs,
      cpuSeconds: upload.cpuSeconds,
      idleCpuSecondsPerSecond: +r.idleCpuPerSecond.toFixed(3),
      baseline: { what: 'ffmpeg decode + libx264 -preset veryfast + aac encode of the same file', ...baseline },
      wallRatio: ratio(upload.ms, baseline.ms),
      wallGoal: 1.5,
      cpuRatio: ratio(upload.cpuSeconds, baseline.cpuSeconds),
      cpuGoal: 2,
      allRuns: measured,
      allBaselines: baselines,
    },
    throughput: { oneWorker, twoWorkers, speedUp },
    freshWorker: {
      clips: fresh.length,
      source: 'upload',
      workerSpawnToReadyMs: r.workerSpawnToReadyMs,
      firstClipMs: first.ms,
      lastClipMs: last.ms,
      firstToLast: ratio(first.ms, last.ms),
      goal: 1.2,
      laterClipsMedianMs: laterMedian,
      firstToLaterMedian: ratio(first.ms, laterMedian),
      clipMs: fresh.map((f) => f.ms),
      firstStageMs: first.stageMs,
      lastStageMs: last.stageMs,
    },
    list,
  };

  const markdown = [
    `An upload of a ${clipLabel} (${r.bitrateKbps} kb/s; a pan across a photograph, \`${clip.photograph}\`, with generated audio), every check on: clip moderation (frames, OCR), invisible watermark and visible label. Signing runs at release, after review, so it is not in these figures. Warm worker. Median of ${measured.length} run(s), each followed by the baseline: a plain ffmpeg decode of the same file and encode with libx264 \`-preset veryfast\` + aac.`,
    `CPU: the api and worker processes' own time plus that of their reaped children (ffmpeg, ffprobe), from /proc/<pid>/stat before the upload and once the clip is in review; Postgres and Redis (shared servers) are not counted. The baseline's: ffmpeg's own, as a reaped child of the bench. The machine has 2 cores shared with other work (load average ${r.loadAtStart.toFixed(2)} at start): compare ratios, not bare times.`,
    '',
    '| measure | pipeline | plain ffmpeg | × baseline | goal |',
    '| --- | --- | --- | --- | --- |',
    `| submission → AWAITING_REVIEW, wall | ${upload.ms} ms | ${baseline.ms} ms | ${json.upload.wallRatio} | ≤ 1.5 |`,
    `| CPU seconds | ${upload.cpuSeconds} | ${baseline.cpuSeconds} | ${json.upload.cpuRatio} | ≤ 2 |`,
    '',
    `Idle, the api and worker spend ${r.idleCpuPerSecond.toFixed(3)} CPU s per second (pollers, audit checkpoints): about ${(r.idleCpuPerSecond * (upload.ms / 1000)).toFixed(2)} of the pipeline's CPU seconds above.`,
    '',
    `| part of submission → AWAITING_REVIEW (${upload.ms} ms) | ms | × baseline wall (${baseline.ms} ms) |`,
    '| --- | --- | --- |',
    `| upload request (receive, hash, probe) until 202 | ${upload.uploadRequestMs} | ${ratio(upload.uploadRequestMs, baseline.ms)} |`,
    ...Object.entries(upload.stageMs).map(([s, v]) => `| stage \`${s}\` | ${v} | ${ratio(v, baseline.ms)} |`),
    `| stages together (side by side counted once) | ${upload.stagesSpanMs} | ${ratio(upload.stagesSpanMs, baseline.ms)} |`,
    `| the rest (queues, transitions, between stages) | ${rest} | ${ratio(rest, baseline.ms)} |`,
    '',
    `| ${oneWorker.clips} uploads sent at once (${clipLabel}s) | wall until all are in review | clip-seconds per wall second | CPU s per clip | cores busy (pipeline CPU s ÷ wall s) | machine load average, start → end |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...[oneWorker, twoWorkers].map(
      (b) => `| ${b.workers} worker process${b.workers > 1 ? 'es' : ''} | ${seconds(b.wallMs)} s | ${b.clipSecondsPerWallSecond} | ${b.cpuSecondsPerClip} | ${b.coresBusy} | ${b.loadAverage.atStart} → ${b.loadAverage.atEnd} |`,
    ),
    '',
    `Two workers ÷ one: ${speedUp}× the throughput, on a machine of 2 cores (shared with other work), so no more than 2× can come from more processes here. Each worker runs up to WORKER_CONCURRENCY (2) jobs per stage queue; the cores-busy column shows how much of the machine one process could use.`,
    '',
    `| fresh worker (spawn → /health/ready 200 in ${r.workerSpawnToReadyMs} ms), uploads, submission → AWAITING_REVIEW | first clip ms | clip ${fresh.length} ms | first ÷ clip ${fresh.length} (goal ≤ 1.2) |`,
    '| --- | --- | --- | --- |',
    `| whole clip | ${first.ms} | ${last.ms} | ${json.freshWorker.firstToLast} |`,
    ...Object.entries(last.stageMs).map(([s, v]) => `| stage \`${s}\` | ${first.stageMs[s]} | ${v} | ${ratio(first.stageMs[s], v)} |`),
    '',
    `All ${fresh.length} clips, ms: ${fresh.map((f) => f.ms).join(', ')}; the first is ${json.freshWorker.firstToLaterMedian}× the median of the other ${fresh.length - 1}.`,
    '',
    `| GET /api/v1/clips with ${list.clipsStored} clips (${list.requests} sequential requests) | p50 ms | p99 ms |`,
    '| --- | --- | --- |',
    `| first page, limit 50 | ${list.firstPageMs.p50} | ${list.firstPageMs.p99} |`,
    `| state filter, limit 50 | ${list.stateFilterMs.p50} | ${list.stateFilterMs.p99} |`,
    `| baseline: GET /health/live | ${list.healthBaselineMs.p50} | ${list.healthBaselineMs.p99} |`,
  ].join('\n');
  return { title: 'pipeline', json, markdown };
}
