import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FrameSampler, resolveFfmpegBinaries, runProcess } from '../src/engines/media';
import {
  DEFAULT_ENGINE_OPTIONS,
  DEFAULT_MODERATION_POLICY,
  evaluateTextEngine,
  EVALUATION_SPLITS,
  EvaluationSplit,
  FrameTextReader,
  loadEvaluationSet,
  LocalModerationProvider,
  LocalTextClassifier,
  MODERATION_CATEGORIES,
  ModerationEngine,
  NSFW_INPUT_SIZE,
  NsfwImageClassifier,
  RgbFrameDecoder,
  TextEngineEvaluation,
} from '../src/engines/moderation';
import { makeTextClip } from '../test/support/text-media';
import { BenchRunner, percentile } from './bench-section';

/**
 * Moderation: the local text engine on the labelled evaluation set
 * (precision/recall per category, evasion recall, benign false blocks, on
 * the tuned development split and on the held-out split), and the wall time
 * of moderating a 10 s 720p clip next to a plain ffmpeg decode of the same
 * clip measured in the same run.
 */
export const run: BenchRunner = async (ctx) => {
  const text = evaluateText();
  const video = await measureVideo(ctx.workDir, ctx.quick);
  return {
    title: 'Moderation',
    json: { text, video },
    markdown: [textMarkdown(text), videoMarkdown(video)].join('\n\n'),
  };
};

interface TextFigures {
  setVersion: string;
  classifierVersion: string;
  prompts: number;
  splits: Record<EvaluationSplit, Omit<TextEngineEvaluation, 'outcomes'>>;
  /** Held-out prompts whose labelled category was not flagged, and benign ones that were blocked. */
  holdoutErrors: Array<{ id: string; missed: string[]; verdict: string }>;
  msPerPrompt: number;
  /** Per prompt, timed one by one after the first call (which loads compromise, once per process). */
  latency: { firstCallMs: number; p50Ms: number; p95Ms: number; maxMs: number };
}

function withoutOutcomes({ outcomes: _outcomes, ...summary }: TextEngineEvaluation): Omit<TextEngineEvaluation, 'outcomes'> {
  return summary;
}

function evaluateText(): TextFigures {
  const set = loadEvaluationSet();
  const classifier = new LocalTextClassifier();
  const latency = measureLatency(classifier, set.prompts.map((p) => p.text));
  const started = process.hrtime.bigint();
  const results = EVALUATION_SPLITS.map((split) =>
    evaluateTextEngine(set.prompts.filter((p) => p.split === split), classifier, DEFAULT_MODERATION_POLICY),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    setVersion: set.version,
    classifierVersion: classifier.version,
    prompts: set.prompts.length,
    splits: Object.fromEntries(EVALUATION_SPLITS.map((split, i) => [split, withoutOutcomes(results[i])])) as TextFigures['splits'],
    holdoutErrors: results
      .slice(1)
      .flatMap((r) => r.outcomes)
      .filter((o) => o.missed.length > 0 || (o.kind === 'benign' && o.verdict === 'block'))
      .map((o) => ({ id: o.id, missed: o.missed, verdict: o.verdict })),
    msPerPrompt: round(ms / set.prompts.length, 2),
    latency,
  };
}

function measureLatency(classifier: LocalTextClassifier, texts: string[]): TextFigures['latency'] {
  const once = (text: string) => {
    const started = process.hrtime.bigint();
    classifier.classify(text);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const firstCallMs = once(texts[0]);
  const times = texts.map(once).sort((a, b) => a - b);
  return { firstCallMs: round(firstCallMs), p50Ms: round(percentile(times, 50), 2), p95Ms: round(percentile(times, 95), 2), maxMs: round(times[times.length - 1], 1) };
}

interface VideoFigures {
  clip: { seconds: number; width: number; height: number; fps: number };
  runs: number;
  decodeMs: number;
  moderationMs: number;
  ratio: number;
  /** The stage given frames the pipeline already sampled (sampling is shared with the other checks). */
  presampledMs: number;
  presampledRatio: number;
  framesSampled: number;
  verdict: string;
  breakdown: { samplingMs: number; nsfwMsPerFrame: number; ocrMsPerFrame: number };
  coldStartMs: number;
}

async function measureVideo(workDir: string, quick: boolean): Promise<VideoFigures> {
  const bins = resolveFfmpegBinaries();
  const clipSpec = quick ? { seconds: 3, width: 640, height: 360 } : { seconds: 10, width: 1280, height: 720 };
  const dir = await mkdtemp(join(workDir, 'moderation-'));
  const clip = await makeTextClip(dir, 'clip.mp4', { ...clipSpec, text: 'WATCH YOUR BACK', textFrom: clipSpec.seconds / 2, audio: true });
  const runs = quick ? 1 : 3;

  const decodeTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    decodeTimes.push(await timed(() => runProcess(bins.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-i', clip, '-f', 'null', '-'], { timeoutMs: 120_000 })));
  }

  const nsfw = new NsfwImageClassifier(1);
  const ocr = new FrameTextReader();
  const provider = new LocalModerationProvider(new LocalTextClassifier(), nsfw, new RgbFrameDecoder(bins, NSFW_INPUT_SIZE, 60_000));
  const engine = new ModerationEngine({ provider, policy: DEFAULT_MODERATION_POLICY, ocr, bins });
  try {
    // Model start-up happens once per worker process, not per clip: measured apart.
    const coldStartMs = await timed(() => engine.warmUp());

    const moderationTimes: number[] = [];
    let report;
    for (let i = 0; i < runs; i++) {
      const runDir = join(dir, `run-${i}`);
      await mkdir(runDir);
      moderationTimes.push(await timed(async () => {
        report = await engine.moderateVideo(clip, { workDir: runDir });
      }));
    }

    const sampler = new FrameSampler(bins, { timeoutMs: 120_000 });
    let frames: Awaited<ReturnType<FrameSampler['sample']>> = [];
    const samplingMs = await timed(async () => {
      frames = await sampler.sample(clip, join(dir, 'breakdown'), { ...DEFAULT_ENGINE_OPTIONS.sampling, format: 'jpg' });
    });
    const presampledTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      const runDir = join(dir, `presampled-${i}`);
      await mkdir(runDir);
      presampledTimes.push(await timed(() => engine.moderateVideo(clip, { frames, workDir: runDir })));
    }
    const decoder = new RgbFrameDecoder(bins, NSFW_INPUT_SIZE, 60_000);
    const nsfwMs = await timed(async () => {
      for (const pixels of await decoder.decode(frames.map((f) => f.path))) await nsfw.classify(pixels);
    });
    const ocrMs = await timed(async () => {
      for (const f of frames) await ocr.read(f.path);
    });

    const decodeMs = median(decodeTimes);
    const moderationMs = median(moderationTimes);
    const presampledMs = median(presampledTimes);
    return {
      clip: { ...clipSpec, fps: 30 },
      runs,
      decodeMs: round(decodeMs),
      moderationMs: round(moderationMs),
      ratio: round(moderationMs / decodeMs, 2),
      presampledMs: round(presampledMs),
      presampledRatio: round(presampledMs / decodeMs, 2),
      framesSampled: report!.framesSampled ?? 0,
      verdict: report!.verdict,
      breakdown: {
        samplingMs: round(samplingMs),
        nsfwMsPerFrame: round(nsfwMs / frames.length),
        ocrMsPerFrame: round(ocrMs / frames.length),
      },
      coldStartMs: round(coldStartMs),
    };
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function textMarkdown(t: TextFigures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  // A ratio over nothing (no prompt labelled or flagged in that category, no evasion prompts in a split) is not a measurement.
  const measured = (x: number, over: number, show: (x: number) => string) => (over === 0 ? 'n/a' : show(x));
  const quality = (q: TextEngineEvaluation['perCategory'][keyof TextEngineEvaluation['perCategory']]) =>
    `${measured(q.precision, q.truePositives + q.falsePositives, (x) => x.toFixed(2))} | ${measured(q.recall, q.truePositives + q.falseNegatives, (x) => x.toFixed(2))}`;
  const rows = MODERATION_CATEGORIES.map((c) => `| ${c} | ${EVALUATION_SPLITS.map((s) => quality(t.splits[s].perCategory[c])).join(' | ')} |`);
  const summary = (name: string, e: TextFigures['splits'][EvaluationSplit]) =>
    `| ${name} | ${e.prompts.harmful} / ${e.prompts.evasion} / ${e.prompts.benign} | ${pct(e.harmfulRecall)} | ${measured(e.evasionRecall, e.prompts.evasion, pct)} | ${pct(e.benignFalseBlockRate)} | ${pct(e.benignFalseFlagRate)} |`;
  return [
    `### Local text engine (${t.classifierVersion}, evaluation set ${t.setVersion}, ${t.prompts} prompts)`,
    '',
    'Goals: evasion recall >= 90 %, benign false blocks <= 2 %; on holdout3 harmful recall >= 90 % with benign false blocks <= 2 %. The rules were tuned on the development split. "holdout" was never tuned on, but the rules were broadened afterwards by the same author who wrote it; "holdout2" was written after that (its summary figures were watched while the relation detector was built); "holdout3" (threats, incitement, harassment, sexualised children in new phrasings, and benign look-alikes) was written after the relation rules were frozen, by the same author, and never tuned on.',
    '',
    '| split | harmful / evasion / benign | harmful recall | evasion recall | benign false blocks | benign sent to review or blocked |',
    '|---|---|---|---|---|---|',
    ...EVALUATION_SPLITS.map((s) => summary(s, t.splits[s])),
    '',
    `| category | ${EVALUATION_SPLITS.map((s) => `${s} precision | ${s} recall`).join(' | ')} |`,
    `|---|${EVALUATION_SPLITS.map(() => '---|---|').join('')}`,
    ...rows,
    '',
    ...EVALUATION_SPLITS.filter((s) => t.splits[s].prompts.evasion > 0).map((s) => `Evasion recall by technique (${s}): ${Object.entries(t.splits[s].evasionRecallByTechnique).map(([k, v]) => `${k} ${pct(v)}`).join(', ')}.`),
    `Text classification: ${t.msPerPrompt} ms per prompt over the whole set (median ${t.latency.p50Ms} ms, p95 ${t.latency.p95Ms} ms, max ${t.latency.maxMs} ms per prompt, measured one by one after a first call of ${t.latency.firstCallMs} ms that loads compromise and compiles the rules).`,
  ].join('\n');
}

function videoMarkdown(v: VideoFigures): string {
  return [
    `### Video moderation vs plain decode (${v.clip.seconds} s ${v.clip.width}x${v.clip.height} H.264, median of ${v.runs})`,
    '',
    '| plain ffmpeg decode | moderation stage (local), sampling included | ratio (goal < 2x) | same, frames given by the pipeline | ratio | frames | verdict |',
    '|---|---|---|---|---|---|---|',
    `| ${v.decodeMs} ms | ${v.moderationMs} ms | ${v.ratio}x | ${v.presampledMs} ms | ${v.presampledRatio}x | ${v.framesSampled} | ${v.verdict} |`,
    '',
    `Breakdown: frame sampling ${v.breakdown.samplingMs} ms, nsfwjs ${v.breakdown.nsfwMsPerFrame} ms/frame, OCR ${v.breakdown.ocrMsPerFrame} ms/frame; model start-up (once per worker) ${v.coldStartMs} ms, not included above.`,
  ].join('\n');
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
