import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureFaceMedia, IDENTITIES, loadPicture, placeOnCanvas } from './corpora/face-corpus';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { DEFAULT_LIKENESS_POLICY } from '@provenant/shared';
import { Gazetteer } from '../src/engines/gazetteer';
import { FaceAnalyzer, LIKENESS_MODEL_VERSION, TemplateIndex, type RgbImage } from '../src/engines/likeness';
import { resolveFfmpegBinaries } from '../src/engines/media';
import { decodeFaceImage } from '../src/modules/likeness/face-image';
import { matchFaces, type SeenFaces } from '../src/modules/likeness/face-matching';
import { embedFromPictures } from '../src/modules/pipeline/stages/face-pictures';
import { percentile, type BenchRunner } from './bench-section';

const run = promisify(execFile);

/**
 * The likeness face engine: analysis of a 1280×720 frame holding one face
 * (one analysis thread), beside a plain ffmpeg decode of one such frame (PNG
 * to raw RGB, the baseline, same run); enrolment (analyse one portrait);
 * matching one embedding against 1k / 10k / 100k templates, fast path
 * (`match`) beside the brute-force scan (`matchExact`) on the same index.
 */
export const run_: BenchRunner = async ({ workDir, quick }) => {
  const bins = resolveFfmpegBinaries();
  const media = ensureFaceMedia();
  const portrait = await loadPicture(bins, join(media, IDENTITIES[2].file));
  const small = await loadPicture(bins, join(media, IDENTITIES[2].file), { name: 'small', vf: 'scale=240:-2' });
  const frame = placeOnCanvas(small, 1280, 720, 500, 200);
  const framePng = join(workDir, 'frame.png');
  // Write the frame as PNG through ffmpeg's stdin.
  await new Promise<void>((resolve, reject) => {
    const child = require('node:child_process').spawn(bins.ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '1280x720', '-i', 'pipe:0', framePng]);
    child.on('exit', (code: number) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))));
    child.stdin.end(Buffer.from(frame.data));
  });
  const reps = quick ? 5 : 20;
  const decodeMs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await run(bins.ffmpeg, ['-nostdin', '-v', 'error', '-i', framePng, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 1 << 26 });
    decodeMs.push(performance.now() - t);
  }
  const analyzer = await FaceAnalyzer.create({ threads: 1 });
  const analyseMs: number[] = [];
  const enrolMs: number[] = [];
  const detectOnlyMs: number[] = [];
  let embedding: Float32Array | null = null;
  let clipCheck: Awaited<ReturnType<typeof clipLikenessWork>>;
  try {
    await analyzer.analyse(frame);
    clipCheck = await clipLikenessWork(bins, analyzer, join(media, IDENTITIES[2].file), workDir, quick);
    for (let i = 0; i < reps; i++) {
      let t = performance.now();
      const faces = await analyzer.analyse(frame);
      analyseMs.push(performance.now() - t);
      if (faces.length !== 1) throw new Error(`the bench frame should hold one face, found ${faces.length}`);
      embedding = faces[0].embedding;
      t = performance.now();
      await analyzer.analyse(frame, { embed: false });
      detectOnlyMs.push(performance.now() - t);
      t = performance.now();
      await analyzer.analyse(portrait);
      enrolMs.push(performance.now() - t);
    }
  } finally {
    await analyzer.close();
  }
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  let seed = 1;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) | 0) >>> 0) / 2 ** 32 - 0.5;
  const pool = Float32Array.from({ length: sizes[sizes.length - 1] * 7 + 1024 }, random);
  const queries = Array.from({ length: quick ? 5 : 30 }, (_, i) => (i === 0 ? embedding! : Float32Array.from(embedding!, (v) => v + 0.02 * random())));
  const timeIt = (f: (q: Float32Array) => unknown) => {
    for (const q of queries.slice(0, 3)) f(q); // warm-up
    const times = queries.map((q) => {
      const t = performance.now();
      f(q);
      return performance.now() - t;
    });
    times.sort((a, b) => a - b);
    return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
  };
  const matching = sizes.map((size) => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    const forced = new TemplateIndex(LIKENESS_MODEL_VERSION, 1024, undefined, { fastPathMinSize: 0 });
    for (let i = 0; i < size; i++) {
      const template = { subjectId: `s${i}`, templateId: `t${i}`, embedding: pool.subarray(i * 7, i * 7 + 1024), modelVersion: LIKENESS_MODEL_VERSION };
      index.add(template);
      if (size <= 10_000) forced.add(template);
    }
    // The fast path's guarantee (README): identical whenever the true best is within differentThreshold,
    // else both `different` (then the fast path may name another, farther template).
    let otherTemplateBeyondThreshold = 0;
    for (const q of queries) {
      const [fast, exact] = [index.match(q)!, index.matchExact(q)!];
      if (exact.distance <= exact.differentThreshold ? JSON.stringify(fast) !== JSON.stringify(exact) : fast.verdict !== 'different') {
        throw new Error(`fast and brute-force matches disagree at ${size} templates: ${JSON.stringify({ fast, exact })}`);
      }
      if (fast.templateId !== exact.templateId) otherTemplateBeyondThreshold++;
    }
    const brute = timeIt((q) => index.matchExact(q));
    const fast = timeIt((q) => index.match(q));
    const coarseForced = size <= 10_000 ? timeIt((q) => forced.match(q)) : fast;
    return { templates: size, kernel: index.coarseKernel, bruteForce: brute, fast, coarsePassForced: coarseForced, queries: queries.length, otherTemplateBeyondThreshold, speedup: brute.p50Ms / fast.p50Ms };
  });
  const s = (v: number[]) => percentile([...v].sort((a, b) => a - b), 50);
  const baseline = s(decodeMs);
  return {
    title: 'likeness',
    json: { decodeFrameP50Ms: baseline, analyseFrameP50Ms: s(analyseMs), detectOnlyFrameP50Ms: s(detectOnlyMs), enrolPortraitP50Ms: s(enrolMs), matching, clipCheck: clipCheck! },
    markdown: [
      `**clip_likeness's work** on a ${clipCheck!.seconds} s 1280×720 clip panning across a portrait (one face in every frame): decode the ${clipCheck!.frames} sampled 512 px frames media analysis stores, detect faces in each, track them, embed each track's best faces and match them against the subject's template: ${clipCheck!.checkMs.toFixed(0)} ms, against ${clipCheck!.decodeMs.toFixed(0)} ms for a plain ffmpeg decode of the whole clip (baseline, same run): **${(clipCheck!.checkMs / clipCheck!.decodeMs).toFixed(2)}×** (goal < 1×). Matched: ${clipCheck!.matched}.`,
      '',
      `One analysis thread (${LIKENESS_MODEL_VERSION}, tfjs-wasm); baseline: ffmpeg decoding one 1280×720 PNG frame to RGB, p50 ${baseline.toFixed(1)} ms (process start included).`,
      '',
      '| Step | p50 | ÷ decode |',
      '| --- | ---: | ---: |',
      `| analyse a 1280×720 frame, one face (detect + mesh + embed) | ${s(analyseMs).toFixed(1)} ms | ${(s(analyseMs) / baseline).toFixed(2)}× |`,
      `| detect only (embed: false, for tracking) | ${s(detectOnlyMs).toFixed(1)} ms | ${(s(detectOnlyMs) / baseline).toFixed(2)}× |`,
      `| enrolment: analyse one 512×600 portrait | ${s(enrolMs).toFixed(1)} ms | ${(s(enrolMs) / baseline).toFixed(2)}× |`,
      '',
      `Matching one embedding (baseline: brute-force exact scan, \`matchExact\`, same index, same run; coarse kernel: ${matching[0].kernel}; \`match\` uses the exact scan below 256 templates):`,
      '',
      '| Templates | brute force p50 / p99 | `match` p50 / p99 | brute ÷ `match` | coarse pass forced (fastPathMinSize 0) p50 |',
      '| ---: | ---: | ---: | ---: | ---: |',
      ...matching.map(
        (m) =>
          `| ${m.templates.toLocaleString('en')} | ${m.bruteForce.p50Ms.toFixed(2)} / ${m.bruteForce.p99Ms.toFixed(2)} ms | ${m.fast.p50Ms.toFixed(2)} / ${m.fast.p99Ms.toFixed(2)} ms | ${m.speedup.toFixed(1)}× | ${m.coarsePassForced.p50Ms.toFixed(2)} ms |`,
      ),
    ].join('\n'),
  };
};

/**
 * What clip_likeness does after media analysis, timed: the sampled frames
 * (one per second, 512 px wide JPEG, as media analysis stores them) are
 * decoded, analysed on one thread, tracked and matched against a template
 * of the portrait; beside a plain ffmpeg decode of the whole clip.
 */
async function clipLikenessWork(bins: ReturnType<typeof resolveFfmpegBinaries>, analyzer: FaceAnalyzer, portrait: string, workDir: string, quick: boolean) {
  const seconds = quick ? 4 : 10;
  const clip = join(workDir, 'face-clip.mp4');
  await run(bins.ffmpeg, ['-nostdin', '-v', 'error', '-loop', '1', '-framerate', '30', '-i', portrait, '-t', String(seconds), '-vf', `scale=1440:-2,crop=1280:720:'min(iw-1280,160*t/${seconds})':240,format=yuv420p`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-y', clip]);
  let t = performance.now();
  await run(bins.ffmpeg, ['-nostdin', '-v', 'error', '-i', clip, '-f', 'null', '-']);
  const decodeMs = performance.now() - t;
  const framesDir = join(workDir, 'face-frames');
  await mkdir(framesDir, { recursive: true });
  await run(bins.ffmpeg, ['-nostdin', '-v', 'error', '-i', clip, '-vf', 'fps=1,scale=512:-2', '-q:v', '3', join(framesDir, '%03d.jpg')]);
  const files = (await readdir(framesDir)).sort();
  const [template] = await analyzer.analyse(await loadPicture(bins, portrait));
  const faces = new TemplateIndex(LIKENESS_MODEL_VERSION);
  faces.add({ subjectId: 'subject', templateId: 'template', embedding: template.embedding!, modelVersion: LIKENESS_MODEL_VERSION });
  const subject = { id: 'subject', kind: 'protected' as const, displayName: 'bench', aliases: [], distinctive: false, userId: null, createdAt: new Date() };
  const registry = { version: 1, names: new Gazetteer([]), faces, subjects: new Map([[subject.id, subject]]), grants: new Map() };
  t = performance.now();
  // As the stage does: detection only on every frame, embeddings for each track's best faces.
  const pictures: SeenFaces[] = [];
  const images = new Map<number, RgbImage>();
  for (const [i, file] of files.entries()) {
    const image = decodeFaceImage(await readFile(join(framesDir, file)), file);
    images.set(i, image);
    pictures.push({ timeSeconds: i, faces: await analyzer.analyse(image, { embed: false }), width: image.width, height: image.height });
  }
  const found = await matchFaces(pictures, registry, 'creator', DEFAULT_LIKENESS_POLICY, embedFromPictures(analyzer, images));
  const checkMs = performance.now() - t;
  return { seconds, frames: files.length, decodeMs, checkMs, ratio: checkMs / decodeMs, matched: `${found.faces.length} track(s) matched, ${found.unknownFaces} unknown` };
}

export { run_ as run };
