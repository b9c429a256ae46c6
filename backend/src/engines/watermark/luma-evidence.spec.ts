import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameSampler, MediaProber, resolveFfmpegBinaries, runProcess } from '../media';
import { LumaAccumulation, parseLumaEvidence, serializeLumaEvidence, type LumaEvidence } from './luma-evidence';
import { WatermarkDetector } from './watermark-detector';
import { WatermarkEmbedder } from './watermark-embedder';
import { WatermarkKey } from './watermark-key';

const bins = resolveFfmpegBinaries();
const key = WatermarkKey.fromHex('4d'.repeat(32));
const payload = Buffer.from('0123456789abcdef', 'hex');
const detector = new WatermarkDetector(bins, { timeoutMs: 120_000 });
const sampler = new FrameSampler(bins, { timeoutMs: 120_000 });
const prober = new MediaProber(bins, { timeoutMs: 60_000 });

/**
 * Detection from the frames media analysis decodes (the sampler's luma
 * output) against the detector's own decode of the file: the same answer,
 * and on short clips (where the detector reads every frame too) the same
 * numbers.
 */
describe('watermark detection from luma evidence of the sampling pass', () => {
  let dir: string;
  const clips: Record<'short' | 'long' | 'plain', string> = { short: '', long: '', plain: '' };

  /** The evidence the sampler's one pass yields, with its JPEG frames and thumbnail. */
  const evidenceOf = async (file: string, name: string): Promise<LumaEvidence> => {
    const { width, height, durationSeconds, frameRate } = await prober.probe(file);
    const size = detector.frameSize(width, height, Math.round(durationSeconds * frameRate));
    if ('reason' in size) throw new Error(size.reason);
    const accumulation = new LumaAccumulation(size);
    await sampler.sample(file, join(dir, name), { luma: { ...size, consume: (frame) => accumulation.add(frame) }, thumbnail: { atSeconds: 1, width: 160, path: join(dir, `${name}.jpg`) } });
    return accumulation.finish();
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'luma-evidence-'));
    const make = async (file: string, seconds: number) =>
      runProcess(bins.ffmpeg, ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30,noise=alls=3:allf=t', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', file], { timeoutMs: 120_000 });
    clips.plain = join(dir, 'plain.mp4');
    await make(clips.plain, 6);
    const embedder = new WatermarkEmbedder(bins, { timeoutMs: 120_000 });
    for (const [name, seconds] of [['short', 3], ['long', 6]] as const) {
      const source = join(dir, `${name}-source.mp4`);
      await make(source, seconds);
      clips[name] = join(dir, `${name}.mp4`);
      await embedder.embed({ input: source, output: clips[name], payload, key });
    }
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads exactly what the detector reads from the file when both see every frame (a clip of up to 150 frames)', async () => {
    const fromFile = await detector.detect({ input: clips.short, key });
    const fromEvidence = detector.detectEvidence(await evidenceOf(clips.short, 'short'), key);
    expect(fromEvidence).toMatchObject({ found: true, payload: payload.toString('hex'), framesAnalysed: 90 });
    const { elapsedMs: _a, ...file } = fromFile;
    const { elapsedMs: _b, ...evidence } = fromEvidence;
    expect(evidence).toEqual(file);
  });

  it('finds the same payload in a longer clip, from every other frame where the file read skips non-reference ones', async () => {
    const fromFile = await detector.detect({ input: clips.long, key });
    const fromEvidence = detector.detectEvidence(await evidenceOf(clips.long, 'long'), key);
    expect(fromFile).toMatchObject({ found: true, payload: payload.toString('hex') });
    expect(fromEvidence).toMatchObject({ found: true, payload: payload.toString('hex'), framesAnalysed: 90 });
    expect(fromFile.framesAnalysed).toBeLessThan(180);
    expect(fromEvidence.bitAccuracy!).toBeGreaterThanOrEqual(fromFile.bitAccuracy! - 0.02);
  });

  it('finds nothing in an unmarked clip, nor with another key', async () => {
    const plain = await evidenceOf(clips.plain, 'plain');
    expect(detector.detectEvidence(plain, key)).toMatchObject({ found: false, payload: null });
    expect(detector.detectEvidence(await evidenceOf(clips.short, 'short-other-key'), WatermarkKey.fromHex('4e'.repeat(32)))).toMatchObject({ found: false, payload: null });
  });

  it('survives storage: parsed bytes give the same reading, and bytes that are not evidence are refused', async () => {
    const evidence = await evidenceOf(clips.short, 'short-stored');
    const { elapsedMs: _a, ...direct } = detector.detectEvidence(evidence, key);
    const { elapsedMs: _b, ...stored } = detector.detectEvidence(parseLumaEvidence(serializeLumaEvidence(evidence)), key);
    expect(stored).toEqual(direct);
    expect(() => parseLumaEvidence(Buffer.from('not evidence at all'))).toThrow(RangeError);
    expect(() => parseLumaEvidence(serializeLumaEvidence(evidence).subarray(0, 1000))).toThrow(RangeError);
  });

  it('says why a picture too small to carry a mark yields no frames to read, and halves the frames of a long clip', () => {
    expect(detector.frameSize(48, 32, 300)).toEqual({ reason: expect.stringContaining('too small') });
    expect(detector.frameSize(1280, 720, 150)).toEqual({ width: 640, height: 360, maxFrames: 450, frameStep: 1 });
    expect(detector.frameSize(1280, 720, 300)).toEqual({ width: 640, height: 360, maxFrames: 450, frameStep: 2 });
  });
});
