import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../media';
import { readBackRelease } from './release-read-back';
import { WatermarkDetector } from './watermark-detector';
import { WatermarkEmbedder } from './watermark-embedder';
import { WatermarkInputError } from './watermark-errors';
import { WatermarkKey } from './watermark-key';

const bins = resolveFfmpegBinaries();
const key = WatermarkKey.fromHex('3c'.repeat(32));
const payload = Buffer.from('c0ffee0123456789', 'hex');
const embedder = new WatermarkEmbedder(bins, { timeoutMs: 120_000 });
const detector = new WatermarkDetector(bins, { timeoutMs: 120_000 });

async function ffmpeg(...args: string[]): Promise<void> {
  await runProcess(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], { timeoutMs: 120_000 });
}

/** A textured moving scene with a tone: lavfi test pattern plus film-like grain. */
async function makeClip(file: string, options: { size?: string; seconds?: number; source?: string; audio?: boolean } = {}): Promise<void> {
  const size = options.size ?? '640x360';
  const source = options.source ?? `testsrc2=s=${size}:r=30`;
  await ffmpeg(
    '-f', 'lavfi', '-i', `${source},noise=alls=3:allf=t`,
    ...(options.audio ? ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'] : []),
    '-t', String(options.seconds ?? 3),
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p',
    ...(options.audio ? ['-c:a', 'aac', '-shortest'] : []),
    file,
  );
}

async function md5Of(file: string, stream: string): Promise<string> {
  const { stdout } = await runProcess(bins.ffmpeg, ['-v', 'error', '-i', file, '-map', stream, '-c', 'copy', '-f', 'md5', '-'], { timeoutMs: 60_000 });
  return stdout.toString().trim();
}

/** Mean absolute luma difference between two files in one region of the frame at `seconds`. */
async function regionDifference(a: string, b: string, seconds: number, crop: string): Promise<number> {
  const grab = async (file: string) =>
    (await runProcess(bins.ffmpeg, ['-v', 'error', '-ss', String(seconds), '-i', file, '-frames:v', '1', '-vf', `crop=${crop},format=gray`, '-f', 'rawvideo', '-'], { timeoutMs: 60_000 })).stdout;
  const [x, y] = await Promise.all([grab(a), grab(b)]);
  return x.reduce((sum, v, i) => sum + Math.abs(v - y[i]), 0) / x.length;
}

describe('watermark embed and detect (real ffmpeg)', () => {
  let dir: string;
  let source: string;
  let marked: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wm-spec-'));
    source = join(dir, 'source.mp4');
    marked = join(dir, 'marked.mp4');
    await makeClip(source, { audio: true });
    await embedder.embed({ input: source, output: marked, payload, key });
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('recovers the exact payload from the render, with full confidence', async () => {
    const result = await detector.detect({ input: marked, key });
    expect(result).toMatchObject({ found: true, payload: payload.toString('hex'), reason: null });
    expect(result.confidence).toBeGreaterThan(0.999999);
    expect(result.bitAccuracy).toBeGreaterThan(0.95);
    expect(result.sync?.flipped).toBe(false);
  });

  it('renders the same video whether frames are marked on the calling thread or on worker threads', async () => {
    const results = [];
    for (const markingThreads of [0, 2]) {
      const out = join(dir, `threads-${markingThreads}.mp4`);
      results.push(await new WatermarkEmbedder(bins, { timeoutMs: 120_000, markingThreads }).embed({ input: source, output: out, payload, key }));
      expect(results.at(-1)).toMatchObject({ markingThreads, encoding: { preset: 'veryfast', crf: 18 } });
    }
    expect(await md5Of(join(dir, 'threads-2.mp4'), '0:v')).toBe(await md5Of(join(dir, 'threads-0.mp4'), '0:v'));
    expect(results[0].frames).toBe(results[1].frames);
  }, 60_000);

  it('encodes with the embedder\'s configured preset and CRF unless the request overrides them', async () => {
    const fastSmall = new WatermarkEmbedder(bins, { timeoutMs: 120_000, encoding: { preset: 'ultrafast', crf: 30 } });
    const configured = await fastSmall.embed({ input: source, output: join(dir, 'ultrafast.mp4'), payload, key });
    expect(configured.encoding).toEqual({ preset: 'ultrafast', crf: 30 });
    const overridden = await fastSmall.embed({ input: source, output: join(dir, 'override.mp4'), payload, key, encoding: { preset: 'veryfast', crf: 18 } });
    expect(overridden.encoding).toEqual({ preset: 'veryfast', crf: 18 });
    expect(await md5Of(join(dir, 'override.mp4'), '0:v')).toBe(await md5Of(marked, '0:v'));
    expect(() => new WatermarkEmbedder(bins, { timeoutMs: 1000, markingThreads: -1 })).toThrow(RangeError);
  }, 60_000);

  describe('read-back of a release candidate', () => {
    const payloadHex = payload.toString('hex');

    it('confirms the render from a sample of its own frames', async () => {
      const result = await readBackRelease(detector, { input: marked, key, payloadHex });
      expect(result).toMatchObject({ readable: true, scope: 'sample', framesAnalysed: 60 });
      expect(result.bitAccuracy).toBeGreaterThan(0.95);
    });

    it('fails an unmarked candidate, after falling back to the full read', async () => {
      const result = await readBackRelease(detector, { input: source, key, payloadHex });
      expect(result).toMatchObject({ readable: false, scope: 'full', framesAnalysed: 90, bitAccuracy: null });
    });

    it('fails a candidate that carries another payload, and one whose picture was garbled after marking', async () => {
      const other = join(dir, 'other-payload.mp4');
      await embedder.embed({ input: source, output: other, payload: Buffer.from('0badc0de0badc0de', 'hex'), key });
      expect(await readBackRelease(detector, { input: other, key, payloadHex })).toMatchObject({ readable: false, scope: 'full' });
      const garbled = join(dir, 'garbled.mp4');
      await ffmpeg('-i', marked, '-vf', 'gblur=sigma=8,noise=alls=60:allf=t', '-c:v', 'libx264', '-preset', 'veryfast', garbled);
      expect(await readBackRelease(detector, { input: garbled, key, payloadHex })).toMatchObject({ readable: false, scope: 'full' });
    }, 60_000);

    it('reads a clip shorter than the sample once, in full', async () => {
      const short = join(dir, 'short-read-back.mp4');
      await ffmpeg('-i', marked, '-t', '1', '-c', 'copy', short);
      const result = await readBackRelease(detector, { input: short, key, payloadHex });
      expect(result).toMatchObject({ readable: true, scope: 'full' });
      expect(result.framesAnalysed).toBeLessThan(60);
    });
  });

  it('carries the audio over bit for bit', async () => {
    expect(await md5Of(marked, '0:a')).toBe(await md5Of(source, '0:a'));
  });

  it('survives an H.264 re-encode at CRF 28', async () => {
    const attacked = join(dir, 'crf28.mp4');
    await ffmpeg('-i', marked, '-c:v', 'libx264', '-crf', '28', attacked);
    const result = await detector.detect({ input: attacked, key });
    expect(result.payload).toBe(payload.toString('hex'));
  });

  it('finds nothing in unmarked clips, nor with another key', async () => {
    const unmarked = [source];
    for (const [name, src] of [
      ['mandelbrot', 'mandelbrot=s=640x360:r=30'],
      ['life', 'life=s=640x360:r=30:mold=10:ratio=0.3'],
      ['flat', 'color=c=0x336699:s=640x360:r=30'],
    ]) {
      const file = join(dir, `${name}.mp4`);
      await makeClip(file, { source: src });
      unmarked.push(file);
    }
    for (const file of unmarked) {
      const result = await detector.detect({ input: file, key });
      expect(result).toMatchObject({ found: false, payload: null, bitAccuracy: null });
      expect(result.confidence).toBeLessThan(0.5);
    }
    const otherKey = await detector.detect({ input: marked, key: WatermarkKey.fromHex('c3'.repeat(32)) });
    expect(otherKey.found).toBe(false);
  }, 60_000);

  it('draws the visible label in one corner, then moves it to the next', async () => {
    const labelled = join(dir, 'labelled.mp4');
    const result = await embedder.embed({ input: source, output: labelled, payload, key, visible: { text: 'AI-generated · Provenant', opacity: 1, sizeRatio: 0.08, cornerSeconds: 1 } });
    expect(result.visibleLabel).toBe(true);
    const topLeft = '200:60:0:0';
    const topRight = '200:60:440:0';
    // First second: the label changes the top-left corner only; then it moves to the top right.
    expect(await regionDifference(labelled, marked, 0.5, topLeft)).toBeGreaterThan(10);
    expect(await regionDifference(labelled, marked, 0.5, topRight)).toBeLessThan(3);
    expect(await regionDifference(labelled, marked, 1.5, topRight)).toBeGreaterThan(10);
    expect(await regionDifference(labelled, marked, 1.5, topLeft)).toBeLessThan(3);
    expect((await detector.detect({ input: labelled, key })).payload).toBe(payload.toString('hex'));
  }, 60_000);

  describe('bad input', () => {
    it('rejects a payload of the wrong length before touching the file', async () => {
      await expect(embedder.embed({ input: source, output: join(dir, 'x.mp4'), payload: Buffer.alloc(9), key })).rejects.toMatchObject({ code: 'BAD_PAYLOAD' });
    });

    it('names a file that is not a video, for both embed and detect', async () => {
      const text = join(dir, 'notes.mp4');
      await writeFile(text, 'these are not the frames you are looking for\n');
      await expect(embedder.embed({ input: text, output: join(dir, 'x.mp4'), payload, key })).rejects.toMatchObject({ code: 'NOT_VIDEO' });
      await expect(detector.detect({ input: text, key })).rejects.toBeInstanceOf(WatermarkInputError);
      await expect(detector.detect({ input: join(dir, 'missing.mp4'), key })).rejects.toMatchObject({ code: 'NOT_VIDEO' });
    });

    it('refuses to embed into a 16x16 video and reports "too small" when detecting', async () => {
      const tiny = join(dir, 'tiny.mp4');
      await makeClip(tiny, { size: '16x16' });
      await expect(embedder.embed({ input: tiny, output: join(dir, 'x.mp4'), payload, key })).rejects.toMatchObject({ code: 'TOO_SMALL' });
      const result = await detector.detect({ input: tiny, key });
      expect(result).toMatchObject({ found: false, payload: null, framesAnalysed: 0 });
      expect(result.reason).toMatch(/too small/);
    });

    it('handles a one-frame clip and a 0.2 s clip without crashing', async () => {
      for (const [name, seconds] of [['one-frame', 1 / 30], ['short', 0.2]] as const) {
        const clip = join(dir, `${name}.mp4`);
        await makeClip(clip, { seconds });
        const out = join(dir, `${name}-marked.mp4`);
        const embedded = await embedder.embed({ input: clip, output: out, payload, key });
        expect(embedded.frames).toBeGreaterThanOrEqual(1);
        const result = await detector.detect({ input: out, key });
        expect(result.framesAnalysed).toBeGreaterThanOrEqual(1);
        // Few frames carry little evidence: either the exact payload or a clean "not found".
        expect(result.payload === null || result.payload === payload.toString('hex')).toBe(true);
      }
    }, 60_000);
  });
});
