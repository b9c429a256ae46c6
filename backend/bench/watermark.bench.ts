import { readFileSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { LocalDemoGenerator } from '../src/engines/generation';
import { FfmpegBinaries, resolveFfmpegBinaries, runProcess } from '../src/engines/media';
import {
  DEFAULT_MARKING_THREADS,
  DEFAULT_RELEASE_ENCODING,
  PayloadCodec,
  ReleaseEncoding,
  WatermarkDetector,
  WatermarkEmbedder,
  WatermarkKey,
  readBackRelease,
  x264OutputArgs,
} from '../src/engines/watermark';
import { probeVideoStream } from '../src/engines/watermark/video-stream-info';
import { BenchRunner, percentile } from './bench-section';
import { realPicturesMarkdown, runRealPictures } from './watermark-real-pictures';

/**
 * Robustness, false positives, quality and speed of the watermark engine.
 * Corpus: pan/zoom over stills, the local demo generator's clips and lavfi
 * hard cases, all generated here. No natural photographs ship inside the
 * installed npm packages (searched: only logos, icons and test bitmaps), so
 * the "photo" clips pan over rendered stills instead; stated in the report.
 */

const TIMEOUT = 20 * 60 * 1000;

interface CorpusClip {
  name: string;
  file: string;
  seconds: number;
}

interface Attack {
  name: string;
  /** Produces the attacked file from the marked one; returns its path. */
  apply(ctx: AttackContext, marked: string, out: string): Promise<string>;
}

interface AttackContext {
  bins: FfmpegBinaries;
  seconds: number;
  width: number;
  height: number;
}

async function ffmpeg(bins: FfmpegBinaries, args: string[]): Promise<void> {
  await runProcess(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], { timeoutMs: TIMEOUT });
}

/** A re-encode the way a platform would: x264 at its default preset. */
function reencode(name: string, filters: string | null, crf: number, extra: string[] = []): Attack {
  return {
    name,
    async apply({ bins }, marked, out) {
      await ffmpeg(bins, ['-i', marked, ...extra, ...(filters ? ['-vf', filters] : []), '-c:v', 'libx264', '-crf', String(crf), '-c:a', 'copy', out]);
      return out;
    },
  };
}

const ATTACKS: Attack[] = [
  reencode('H.264 CRF 23', null, 23),
  reencode('H.264 CRF 28', null, 28),
  reencode('H.264 CRF 32', null, 32),
  reencode('downscale 50%', 'scale=trunc(iw/4)*2:trunc(ih/4)*2', 23),
  reencode('downscale 25%', 'scale=trunc(iw/8)*2:trunc(ih/8)*2', 23),
  reencode('centre crop 90%', 'crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2', 23),
  reencode('centre crop 80%', 'crop=trunc(iw*0.4)*2:trunc(ih*0.4)*2', 23),
  reencode('brightness +20%', 'lutyuv=y=val*1.2', 23),
  reencode('brightness -20%', 'lutyuv=y=val*0.8', 23),
  reencode('contrast +30%', 'eq=contrast=1.3', 23),
  reencode('frame rate 30→24', 'fps=24', 23),
  {
    name: 'trim 3 s from the middle',
    async apply({ bins, seconds }, marked, out) {
      await ffmpeg(bins, ['-ss', String(Math.max(0, seconds / 2 - 1.5)), '-i', marked, '-t', '3', '-c:v', 'libx264', '-crf', '23', '-c:a', 'copy', out]);
      return out;
    },
  },
  reencode('horizontal flip', 'hflip', 23),
  {
    name: 'one frame as JPEG q75',
    async apply({ bins, seconds, width, height }, marked, out) {
      const { stdout } = await runProcess(
        bins.ffmpeg,
        ['-v', 'error', '-ss', String(seconds / 2), '-i', marked, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'],
        { timeoutMs: TIMEOUT, maxStdoutBytes: 64 * 1024 * 1024 },
      );
      const file = out.replace(/\.mp4$/, '.jpg');
      // jpeg-js uses the libjpeg quality scale, so 75 means what it says.
      await writeFile(file, jpeg.encode({ data: stdout, width, height }, 75).data);
      return file;
    },
  },
  reencode('stacked: crop 90% + 50% + CRF 28', 'crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2,scale=trunc(iw/4)*2:trunc(ih/4)*2', 28),
];

async function buildCorpus(bins: FfmpegBinaries, dir: string, quick: boolean): Promise<CorpusClip[]> {
  const seconds = quick ? 3 : 4;
  const clips: CorpusClip[] = [];
  const fileFor = (name: string) => join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.mp4`);
  const lavfi = async (name: string, source: string, clipSeconds = seconds) => {
    const file = fileFor(name);
    await ffmpeg(bins, ['-f', 'lavfi', '-i', source, '-t', String(clipSeconds), '-c:v', 'libx264', '-crf', '16', '-pix_fmt', 'yuv420p', file]);
    clips.push({ name, file, seconds: clipSeconds });
  };
  const still = join(dir, 'still.png');
  await ffmpeg(bins, ['-f', 'lavfi', '-i', 'mandelbrot=s=2560x1440:end_pts=30:start_scale=2', '-frames:v', '1', still]);
  const panZoom = async (name: string, size: string, clipSeconds = seconds) => {
    const file = fileFor(name);
    const frames = clipSeconds * 30;
    // Zoom in 0.2% per frame (6%/s) while panning right over a detailed still.
    await ffmpeg(bins, [
      '-loop', '1', '-i', still,
      '-vf', `zoompan=z='1+0.002*on':x='iw/2-(iw/zoom/2)+on*2':y='ih/2-(ih/zoom/2)':d=${frames}:s=${size}:fps=30`,
      '-frames:v', String(frames), '-c:v', 'libx264', '-crf', '16', '-pix_fmt', 'yuv420p', file,
    ]);
    clips.push({ name, file, seconds: clipSeconds });
  };

  await panZoom('still pan/zoom 720p', '1280x720');
  const generator = new LocalDemoGenerator(bins, { seconds, width: 1280, height: 720, timeoutMs: TIMEOUT });
  for (const [n, prompt] of (quick ? ['a lighthouse at dusk, waves'] : ['a lighthouse at dusk, waves', 'a red kite over green hills']).entries()) {
    const file = join(dir, `demo-${n}.mp4`);
    await generator.generate({ prompt, outputPath: file });
    clips.push({ name: `local demo generator 720p "${prompt}"`, file, seconds });
  }
  await lavfi('dark scene 720p', 'testsrc2=s=1280x720:r=30,lutyuv=y=16+val*0.15,noise=alls=2:allf=t');
  if (!quick) {
    // The hard case: a high-contrast binary pattern scrolling through every pixel.
    await lavfi('scrolling cellular automaton 720p', 'cellauto=s=426x240:r=30:rule=110:random_seed=7:scroll=1,scale=1280:720:flags=neighbor,format=yuv420p');
    await lavfi('flat colour 720p', 'color=c=0x5a7da8:s=1280x720:r=30');
    await lavfi('noise 720p', 'nullsrc=s=1280x720:r=30,geq=lum=128:cb=128:cr=128,noise=alls=40:allf=t+u');
    await lavfi('fast motion 720p', 'testsrc2=s=2560x1440:r=30,crop=1280:720:x=640+600*sin(2*t):y=360+300*cos(3*t)');
    await lavfi('testsrc2 480p', 'testsrc2=s=854x480:r=30');
    await panZoom('still pan/zoom 1080p', '1920x1080');
    await panZoom('portrait 720x1280', '720x1280');
    await panZoom('still pan/zoom 720p 20 s', '1280x720', 20);
  }
  return clips;
}

interface AttackOutcome {
  exact: number;
  total: number;
  bitAccuracies: number[];
}

export const run: BenchRunner = async ({ workDir, quick }) => {
  const bins = resolveFfmpegBinaries();
  // WATERMARK_BENCH_PART=real runs only the real-picture table (the full section takes hours on 2 shared cores).
  const realPictures = await runRealPictures(bins, workDir, { only: process.env.WATERMARK_REAL_CLIPS ? new RegExp(process.env.WATERMARK_REAL_CLIPS, 'i') : undefined });
  process.stdout.write(`${realPicturesMarkdown(realPictures)}\n`);
  if (process.env.WATERMARK_BENCH_PART === 'real') return { title: 'Watermark', json: { realPictures }, markdown: realPicturesMarkdown(realPictures) };
  const key = WatermarkKey.fromBytes(Buffer.from('provenant-bench-watermark-key-32'));
  const codec = new PayloadCodec(key);
  const embedder = new WatermarkEmbedder(bins, { timeoutMs: TIMEOUT });
  const detector = new WatermarkDetector(bins, { timeoutMs: TIMEOUT });
  const load = loadavg()[0];
  const corpus = await buildCorpus(bins, workDir, quick);
  const attacks = quick ? ATTACKS.filter((a) => /CRF 28|50%|trim|crop 90%|stacked/.test(a.name)) : ATTACKS;

  const outcomes = new Map<string, AttackOutcome>(['none (release render)', ...attacks.map((a) => a.name)].map((n) => [n, { exact: 0, total: 0, bitAccuracies: [] }]));
  const falsePositives = { clips: 0, found: 0, maxPilotZ: 0 };
  const quality: Array<{ clip: string; psnr: number; psnrY: number; ssim: number; embedOverPlain: number }> = [];

  /** Coded-bit accuracy (0.5 when nothing could be read) and whether the exact payload came out. */
  const readMark = async (file: string, payload: Buffer): Promise<{ exact: boolean; accuracy: number; reason?: string }> => {
    const reading = await detector.read({ input: file, key });
    if ('reason' in reading) return { exact: false, accuracy: 0.5, reason: reading.reason };
    const codeword = codec.encode(payload);
    let agree = 0;
    reading.softBits.forEach((v, i) => (agree += v > 0 === (codeword[i] === 1) ? 1 : 0));
    return { exact: codec.decode(reading.softBits)?.payload.equals(payload) ?? false, accuracy: agree / codeword.length };
  };
  const score = async (file: string, payload: Buffer, attack: string): Promise<string> => {
    const { exact, accuracy, reason } = await readMark(file, payload);
    const outcome = outcomes.get(attack)!;
    outcome.total++;
    outcome.bitAccuracies.push(accuracy);
    if (reason) return `${attack}: ${reason}`;
    if (exact) outcome.exact++;
    return `${attack}: ${exact ? 'exact' : 'MISSED'} ${(100 * accuracy).toFixed(1)}%`;
  };

  // Render speed and the preset comparison first: they are the figures of the release render.
  const render = await timeRender(bins, workDir, key, quick);
  process.stdout.write(`${renderMarkdown(render)}\n`);
  const presets = await comparePresets(bins, workDir, corpus.slice(0, quick ? 2 : 4), attacks, key, readMark);
  process.stdout.write(`${presetMarkdown(presets)}\n`);

  const unmarked = async (file: string) => {
    const result = await detector.detect({ input: file, key });
    falsePositives.clips++;
    if (result.found) falsePositives.found++;
    falsePositives.maxPilotZ = Math.max(falsePositives.maxPilotZ, result.sync?.pilotZ ?? 0);
  };

  for (const [index, clip] of corpus.entries()) {
    const payload = Buffer.alloc(8);
    payload.writeUInt32BE(0x5eed0000 + index, 0);
    payload.writeUInt32BE((0xc0ffee00 ^ index) >>> 0, 4);
    const marked = join(workDir, `marked-${index}.mp4`);
    const plain = join(workDir, `plain-${index}.mp4`);
    // Plain decode+encode and the embed, back to back, with the same encoder settings.
    let t = Date.now();
    await ffmpeg(bins, ['-i', clip.file, '-map', '0:v:0', '-map', '0:a?', '-c:a', 'copy', ...x264OutputArgs(DEFAULT_RELEASE_ENCODING), '-movflags', '+faststart', plain]);
    const plainMs = Date.now() - t;
    t = Date.now();
    await embedder.embed({ input: clip.file, output: marked, payload, key });
    const embedMs = Date.now() - t;
    quality.push({ clip: clip.name, ...(await measureQuality(bins, marked, plain)), embedOverPlain: embedMs / plainMs });

    const lines = [await score(marked, payload, 'none (release render)')];
    await unmarked(plain);
    const info = await probeVideoStream(bins, marked, TIMEOUT);
    for (const [a, attack] of attacks.entries()) {
      const ctx = { bins, seconds: clip.seconds, width: info.width, height: info.height };
      const attacked = await attack.apply(ctx, marked, join(workDir, `attacked-${index}-${a}.mp4`));
      lines.push(await score(attacked, payload, attack.name));
      // The same attack on the unmarked render: false positives must stay at zero after processing too.
      if (a % 5 === 0) await unmarked(await attack.apply(ctx, plain, join(workDir, `unmarked-${index}-${a}.mp4`)));
    }
    process.stdout.write(`  watermark bench: ${clip.name}: ${lines.join('; ')}\n`);
  }

  const detectionTiming = await timeDetection(bins, workDir, embedder, detector, key, quick);
  const withLabel = await timeLabel(bins, corpus[0], workDir, embedder, key);

  const rows = [...outcomes.entries()].map(([attack, o]) => {
    const acc = [...o.bitAccuracies].sort((a, b) => a - b);
    return {
      attack,
      exactRecovery: o.total ? o.exact / o.total : NaN,
      clips: o.total,
      meanBitAccuracy: acc.reduce((s, v) => s + v, 0) / Math.max(1, acc.length),
      minBitAccuracy: acc[0] ?? NaN,
    };
  });
  const ratios = quality.map((q) => q.embedOverPlain).sort((a, b) => a - b);
  const json = {
    loadAverageAtStart: load,
    corpus: corpus.map((c) => c.name),
    attacks: rows,
    falsePositives,
    quality,
    embedOverPlainMedian: percentile(ratios, 50),
    detection10s720p: detectionTiming,
    labelOverInvisibleOnly: withLabel,
    render,
    presets,
    realPictures,
  };
  const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`);
  const markdown = [
    `Corpus: ${corpus.length} clips (${corpus.map((c) => c.name).join('; ')}). Load average at start: ${load.toFixed(2)} on 2 cores.`,
    '',
    '| attack | exact payload recovery | clips | mean bit accuracy | worst bit accuracy |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.attack} | ${pct(r.exactRecovery)} | ${r.clips} | ${pct(r.meanBitAccuracy)} | ${pct(r.minBitAccuracy)} |`),
    '',
    `False positives on unmarked clips (plain renders and attacked plain renders): ${falsePositives.found} of ${falsePositives.clips}; highest pilot z ${falsePositives.maxPilotZ.toFixed(2)} (design bound: 2^-32 per clip).`,
    '',
    '| clip | PSNR (all planes) | PSNR Y | SSIM | embed time / plain decode+encode |',
    '| --- | --- | --- | --- | --- |',
    ...quality.map((q) => `| ${q.clip} | ${q.psnr.toFixed(2)} dB | ${q.psnrY.toFixed(2)} dB | ${q.ssim.toFixed(4)} | ${q.embedOverPlain.toFixed(2)}× |`),
    '',
    `Embed time over a plain decode+encode with the same settings (x264 ${DEFAULT_RELEASE_ENCODING.preset}, CRF ${DEFAULT_RELEASE_ENCODING.crf}): median ${percentile(ratios, 50).toFixed(2)}×, worst ${ratios[ratios.length - 1].toFixed(2)}×; with the visible label ${withLabel.toFixed(2)}× the invisible-only embed.`,
    `Detection of a ${detectionTiming.seconds} s ${detectionTiming.size} clip: median ${detectionTiming.medianMs} ms over ${detectionTiming.runs} runs (found: ${detectionTiming.found}).`,
    '',
    renderMarkdown(render),
    '',
    presetMarkdown(presets),
    '',
    realPicturesMarkdown(realPictures),
  ].join('\n');
  return { title: 'Watermark', json, markdown };
};

async function measureQuality(bins: FfmpegBinaries, marked: string, plain: string): Promise<{ psnr: number; psnrY: number; ssim: number }> {
  const log = async (filter: string) =>
    (await runProcess(bins.ffmpeg, ['-nostdin', '-i', marked, '-i', plain, '-lavfi', `[0:v][1:v]${filter}`, '-f', 'null', '-'], { timeoutMs: TIMEOUT })).stderr;
  const psnr = await log('psnr');
  const ssim = await log('ssim');
  const number = (text: string, re: RegExp) => Number.parseFloat(re.exec(text)?.[1] ?? 'NaN');
  return { psnr: number(psnr, /average:([\d.]+|inf)/), psnrY: number(psnr, /PSNR y:([\d.]+|inf)/), ssim: number(ssim, /All:([\d.]+)/) };
}

async function timeDetection(bins: FfmpegBinaries, dir: string, embedder: WatermarkEmbedder, detector: WatermarkDetector, key: WatermarkKey, quick: boolean) {
  const seconds = quick ? 4 : 10;
  const source = join(dir, 'timing-source.mp4');
  const marked = join(dir, 'timing-marked.mp4');
  await ffmpeg(bins, ['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30,noise=alls=4:allf=t', '-t', String(seconds), '-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p', source]);
  await embedder.embed({ input: source, output: marked, payload: Buffer.from('0123456789abcdef', 'hex'), key });
  const times: number[] = [];
  let found = true;
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const result = await detector.detect({ input: marked, key });
    times.push(Date.now() - t);
    found &&= result.payload === '0123456789abcdef';
  }
  times.sort((a, b) => a - b);
  return { seconds, size: '1280x720', runs: times.length, medianMs: percentile(times, 50), allMs: times, found };
}

async function timeLabel(bins: FfmpegBinaries, clip: CorpusClip, dir: string, embedder: WatermarkEmbedder, key: WatermarkKey): Promise<number> {
  const payload = Buffer.alloc(8, 7);
  let t = Date.now();
  await embedder.embed({ input: clip.file, output: join(dir, 'label-off.mp4'), payload, key });
  const off = Date.now() - t;
  t = Date.now();
  await embedder.embed({ input: clip.file, output: join(dir, 'label-on.mp4'), payload, key, visible: { text: 'AI-generated · Provenant · @bench' } });
  const on = Date.now() - t;
  return on / off;
}

/** CPU seconds used so far by this process (every thread) and its exited children: a cost the other load on the machine does not inflate much. */
function cpuSeconds(): number {
  // stat(5) fields 14-17 (utime, stime, cutime, cstime), in clock ticks of 1/100 s; the text after "comm) " starts at field 3.
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

async function measure<T>(work: () => Promise<T>): Promise<{ wallMs: number; cpuS: number; value: T }> {
  const [wall, cpu] = [performance.now(), cpuSeconds()];
  const value = await work();
  return { wallMs: Math.round(performance.now() - wall), cpuS: Math.round((cpuSeconds() - cpu) * 100) / 100, value };
}

interface RenderVariant {
  name: string;
  encoding: ReleaseEncoding;
  markingThreads: number;
  /** The stage before this change read its render back in full. */
  fullReadBack: boolean;
}

interface RenderRound {
  round: number;
  clip: string;
  variant: string;
  plainMs: number;
  plainCpuS: number;
  decodeOnlyMs: number;
  embedMs: number;
  markingMs: number;
  readBackMs: number;
  readable: boolean;
  overPlain: number;
  cpuOverPlain: number;
  loadAverage: number;
}

const VERYFAST: ReleaseEncoding = { preset: 'veryfast', crf: 18 };

/**
 * The watermark stage's render and read-back against a plain ffmpeg decode
 * + veryfast encode of the same 10 s 720p clip, back to back in each round
 * (the goal: the stage within 1.5× that encode).
 */
async function timeRender(bins: FfmpegBinaries, dir: string, key: WatermarkKey, quick: boolean) {
  const seconds = 10;
  const sources = [{ name: 'testsrc2 + grain', file: join(dir, 'render-testsrc.mp4') }, { name: 'local demo generator', file: join(dir, 'render-demo.mp4') }];
  await ffmpeg(bins, ['-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=30,noise=alls=4:allf=t', '-t', String(seconds), '-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p', sources[0].file]);
  await new LocalDemoGenerator(bins, { seconds, width: 1280, height: 720, timeoutMs: TIMEOUT }).generate({ prompt: 'a lighthouse at dusk, waves', outputPath: sources[1].file });
  const variants: RenderVariant[] = [
    { name: 'before: medium, main-thread marking, full read-back', encoding: { preset: 'medium', crf: 18 }, markingThreads: 0, fullReadBack: true },
    { name: 'veryfast, main-thread marking, sampled read-back', encoding: VERYFAST, markingThreads: 0, fullReadBack: false },
    { name: `after: ${DEFAULT_RELEASE_ENCODING.preset}, ${DEFAULT_MARKING_THREADS} marking threads, sampled read-back`, encoding: DEFAULT_RELEASE_ENCODING, markingThreads: DEFAULT_MARKING_THREADS, fullReadBack: false },
  ];
  const detector = new WatermarkDetector(bins, { timeoutMs: TIMEOUT });
  const payload = Buffer.from('0123456789abcdef', 'hex');
  const rounds: RenderRound[] = [];
  for (let round = 0; round < (quick ? 1 : 2); round++) {
    for (const source of sources) {
      const plain = await measure(() =>
        ffmpeg(bins, ['-i', source.file, '-map', '0:v:0', '-map', '0:a?', '-c:a', 'copy', ...x264OutputArgs(VERYFAST), '-movflags', '+faststart', join(dir, 'render-plain.mp4')]),
      );
      const decodeOnly = await measure(() => ffmpeg(bins, ['-i', source.file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '/dev/null']));
      for (const variant of variants) {
        const output = join(dir, 'render-marked.mp4');
        const embedder = new WatermarkEmbedder(bins, { timeoutMs: TIMEOUT, encoding: variant.encoding, markingThreads: variant.markingThreads });
        const embed = await measure(() => embedder.embed({ input: source.file, output, payload, key }));
        const readBack = await measure(async () =>
          variant.fullReadBack
            ? (await detector.detect({ input: output, key })).payload === payload.toString('hex')
            : (await readBackRelease(detector, { input: output, key, payloadHex: payload.toString('hex') })).readable,
        );
        rounds.push({
          round,
          clip: source.name,
          variant: variant.name,
          plainMs: plain.wallMs,
          plainCpuS: plain.cpuS,
          decodeOnlyMs: decodeOnly.wallMs,
          embedMs: embed.wallMs,
          markingMs: embed.value.markingMs,
          readBackMs: readBack.wallMs,
          readable: readBack.value,
          overPlain: (embed.wallMs + readBack.wallMs) / plain.wallMs,
          cpuOverPlain: (embed.cpuS + readBack.cpuS) / plain.cpuS,
          loadAverage: loadavg()[0],
        });
      }
    }
  }
  const summary = variants.map((v) => {
    const mine = rounds.filter((r) => r.variant === v.name);
    const median = (pick: (r: RenderRound) => number) => percentile(mine.map(pick).sort((a, b) => a - b), 50);
    return {
      variant: v.name,
      overPlain: median((r) => r.overPlain),
      worstOverPlain: Math.max(...mine.map((r) => r.overPlain)),
      cpuOverPlain: median((r) => r.cpuOverPlain),
      embedMs: median((r) => r.embedMs),
      markingMs: median((r) => r.markingMs),
      readBackMs: median((r) => r.readBackMs),
      plainMs: median((r) => r.plainMs),
      decodeOnlyMs: median((r) => r.decodeOnlyMs),
      allReadable: mine.every((r) => r.readable),
    };
  });
  return { seconds, size: '1280x720', clips: sources.map((s) => s.name), rounds, summary };
}

function renderMarkdown(render: Awaited<ReturnType<typeof timeRender>>): string {
  return [
    `Watermark stage render + read-back of a ${render.seconds} s ${render.size} clip (${render.clips.join(', ')}; medians over ${render.rounds.length / render.summary.length} runs) against a plain ffmpeg decode + x264 veryfast CRF 18 encode of the same clip measured just before (goal ≤ 1.5×):`,
    '',
    '| variant | wall / plain | worst | CPU / plain | render | of which marking (CPU, all threads) | read-back | plain encode | decode only | mark read back |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...render.summary.map(
      (s) =>
        `| ${s.variant} | ${s.overPlain.toFixed(2)}× | ${s.worstOverPlain.toFixed(2)}× | ${s.cpuOverPlain.toFixed(2)}× | ${s.embedMs} ms | ${s.markingMs} ms | ${s.readBackMs} ms | ${s.plainMs} ms | ${s.decodeOnlyMs} ms | ${s.allReadable ? 'yes' : 'NO'} |`,
    ),
  ].join('\n');
}

const COMPARED_PRESETS: ReleaseEncoding['preset'][] = ['medium', 'faster', 'veryfast'];
/** The attacks with the least margin on the corpus: where a weaker release encoding would show first. */
const PRESET_ATTACKS = /CRF 32|downscale 25%|JPEG|stacked/;

interface PresetRow {
  clip: string;
  preset: ReleaseEncoding['preset'];
  bytes: number;
  embedMs: number;
  embedCpuS: number;
  psnr: number;
  psnrY: number;
  ssim: number;
  release: { exact: boolean; accuracy: number };
  attacks: Array<{ attack: string; exact: boolean; accuracy: number }>;
}

type MarkReader = (file: string, payload: Buffer) => Promise<{ exact: boolean; accuracy: number }>;

/** The release render at each preset (CRF 18): size, time, fidelity to the source, and the mark after the hardest attacks. */
async function comparePresets(bins: FfmpegBinaries, dir: string, clips: CorpusClip[], attacks: Attack[], key: WatermarkKey, readMark: MarkReader) {
  const chosen = attacks.filter((a) => PRESET_ATTACKS.test(a.name));
  const payload = Buffer.from('feedfacecafe0042', 'hex');
  const rows: PresetRow[] = [];
  for (const [c, clip] of clips.entries()) {
    for (const preset of COMPARED_PRESETS) {
      const marked = join(dir, `preset-${c}-${preset}.mp4`);
      const embedder = new WatermarkEmbedder(bins, { timeoutMs: TIMEOUT, encoding: { preset, crf: 18 } });
      const embed = await measure(() => embedder.embed({ input: clip.file, output: marked, payload, key }));
      const quality = await measureQuality(bins, marked, clip.file);
      const info = await probeVideoStream(bins, marked, TIMEOUT);
      const survived = [];
      for (const [a, attack] of chosen.entries()) {
        const attacked = await attack.apply({ bins, seconds: clip.seconds, width: info.width, height: info.height }, marked, join(dir, `preset-attacked-${c}-${preset}-${a}.mp4`));
        survived.push({ attack: attack.name, ...(await readMark(attacked, payload)) });
      }
      rows.push({ clip: clip.name, preset, bytes: (await stat(marked)).size, embedMs: embed.wallMs, embedCpuS: embed.cpuS, ...quality, release: await readMark(marked, payload), attacks: survived });
      process.stdout.write(`  watermark bench: ${clip.name} at ${preset}: ${survived.map((s) => `${s.attack} ${s.exact ? 'exact' : 'MISSED'} ${(100 * s.accuracy).toFixed(1)}%`).join('; ')}\n`);
    }
  }
  const summary = COMPARED_PRESETS.map((preset) => {
    const mine = rows.filter((r) => r.preset === preset);
    const medium = rows.filter((r) => r.preset === 'medium');
    const sum = (list: PresetRow[], pick: (r: PresetRow) => number) => list.reduce((t, r) => t + pick(r), 0);
    const attacked = mine.flatMap((r) => r.attacks);
    return {
      preset,
      sizeVsMedium: sum(mine, (r) => r.bytes) / sum(medium, (r) => r.bytes),
      embedCpuVsMedium: sum(mine, (r) => r.embedCpuS) / sum(medium, (r) => r.embedCpuS),
      embedWallVsMedium: sum(mine, (r) => r.embedMs) / sum(medium, (r) => r.embedMs),
      meanPsnrY: sum(mine, (r) => r.psnrY) / mine.length,
      minSsim: Math.min(...mine.map((r) => r.ssim)),
      meanSsim: sum(mine, (r) => r.ssim) / mine.length,
      releaseExact: mine.filter((r) => r.release.exact).length,
      attackedExact: attacked.filter((a) => a.exact).length,
      attackedTotal: attacked.length,
      attackedMeanAccuracy: attacked.reduce((t, a) => t + a.accuracy, 0) / Math.max(1, attacked.length),
      clips: mine.length,
    };
  });
  return { crf: 18, clips: clips.map((c) => c.name), attacks: chosen.map((a) => a.name), rows, summary };
}

function presetMarkdown(presets: Awaited<ReturnType<typeof comparePresets>>): string {
  return [
    `Release encoding presets at CRF ${presets.crf} (${presets.clips.length} clips: ${presets.clips.join('; ')}; attacks: ${presets.attacks.join(', ')}). Size and time are totals relative to medium; PSNR/SSIM of the marked render against the source clip:`,
    '',
    '| preset | size | render CPU | render wall | mean PSNR Y | mean SSIM | worst SSIM | release read | exact after attacks | mean bit accuracy after attacks |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...presets.summary.map(
      (s) =>
        `| ${s.preset} | ${s.sizeVsMedium.toFixed(3)}× | ${s.embedCpuVsMedium.toFixed(2)}× | ${s.embedWallVsMedium.toFixed(2)}× | ${s.meanPsnrY.toFixed(2)} dB | ${s.meanSsim.toFixed(4)} | ${s.minSsim.toFixed(4)} | ${s.releaseExact}/${s.clips} | ${s.attackedExact}/${s.attackedTotal} | ${(100 * s.attackedMeanAccuracy).toFixed(1)}% |`,
    ),
  ].join('\n');
}
