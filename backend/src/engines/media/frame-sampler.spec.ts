import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'jpeg-js';
import { PNG } from 'pngjs';
import { makeClip, makeHostileCorpus, makeSceneCutClip } from '../../../test/support/media-corpus';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';
import { FrameSampler } from './frame-sampler';
import { MediaProcessError } from './run-process';

describe('FrameSampler', () => {
  const sampler = new FrameSampler(resolveFfmpegBinaries(), { timeoutMs: 30_000 });
  let dir: string;
  let sceneCut: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frame-sampler-'));
    sceneCut = await makeSceneCutClip(dir, { seconds: 4, cutAtSeconds: 2.5, width: 640, height: 360 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes one frame per interval plus the scene cut, in one pass, as scaled JPEGs named by index', async () => {
    const outDir = join(dir, 'jpg');
    const frames = await sampler.sample(sceneCut, outDir, { intervalSeconds: 1, width: 320 });

    expect(frames.map((f) => [f.timestampSeconds, f.reason])).toEqual([
      [0, 'interval'],
      [1, 'interval'],
      [2, 'interval'],
      [2.5, 'scene'],
      [3, 'interval'],
    ]);
    frames.forEach((frame, i) => expect(frame.path).toBe(join(outDir, `frame-${String(i).padStart(5, '0')}.jpg`)));
    const cut = decode(await readFile(frames[3].path));
    expect([cut.width, cut.height]).toEqual([320, 180]);
    // The frame at the cut is the solid red picture.
    expect(cut.data[0]).toBeGreaterThan(200);
    expect(cut.data[1]).toBeLessThan(60);
  });

  it('caps the number of frames, writes PNG on request and never upscales', async () => {
    const outDir = join(dir, 'png');
    const frames = await sampler.sample(sceneCut, outDir, { intervalSeconds: 0.5, maxFrames: 3, format: 'png', width: 4096 });
    expect(frames.map((f) => f.timestampSeconds)).toEqual([0, 0.5, 1]);
    const png = PNG.sync.read(await readFile(frames[2].path));
    expect([png.width, png.height]).toEqual([640, 360]);
  });

  it('does not mistake steady motion for scene changes', async () => {
    const clip = await makeClip(dir, { seconds: 3, audio: null });
    const frames = await sampler.sample(clip, join(dir, 'steady'), { intervalSeconds: 1 });
    expect(frames.map((f) => f.reason)).toEqual(['interval', 'interval', 'interval']);
  });

  it('refuses a directory that already holds frames and bad options', async () => {
    const outDir = join(dir, 'reused');
    await sampler.sample(sceneCut, outDir, { maxFrames: 1 });
    await expect(sampler.sample(sceneCut, outDir)).rejects.toThrow('already holds frames');
    await expect(sampler.sample(sceneCut, join(dir, 'bad'), { intervalSeconds: 0 })).rejects.toThrow(RangeError);
  });

  it('fails with a typed error on files ffmpeg cannot decode', async () => {
    const hostile = await makeHostileCorpus(join(dir, 'hostile'));
    for (const item of [hostile.textAsMp4, hostile.zeroBytes, hostile.corruptSampleTable, hostile.audioOnly]) {
      const error = await sampler.sample(item.path, join(dir, `out-${item.path.split('/').pop()}`)).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(MediaProcessError);
      expect(['EXIT', 'NO_OUTPUT']).toContain((error as MediaProcessError).code);
    }
  });

  it('writes the thumbnail and streams raw luma of every other frame from the same pass', async () => {
    const thumb = join(dir, 'thumb.jpg');
    const luma: Buffer[] = [];
    const frames = await sampler.sample(sceneCut, join(dir, 'one-pass'), { thumbnail: { atSeconds: 3, width: 160, path: thumb }, luma: { width: 64, height: 36, maxFrames: 1000, frameStep: 2, consume: (f) => luma.push(f) } });
    expect(frames).toHaveLength(5);
    const image = decode(await readFile(thumb));
    expect([image.width, image.height]).toEqual([160, 90]);
    // 3 s is after the cut to solid red.
    expect(image.data[0]).toBeGreaterThan(200);
    expect(image.data[2]).toBeLessThan(60);
    // 4 s at 30 fps, every other frame, each exactly 64 × 36 grey bytes.
    expect(luma).toHaveLength(60);
    expect(luma.every((f) => f.length === 64 * 36)).toBe(true);
  });

  it('fails with NO_OUTPUT when the thumbnail time is past the end, even if a stale file exists', async () => {
    const thumb = join(dir, 'stale.jpg');
    await writeFile(thumb, 'stale');
    const error = await sampler.sample(sceneCut, join(dir, 'late-thumb'), { thumbnail: { atSeconds: 30, width: 160, path: thumb } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProcessError);
    expect((error as MediaProcessError).code).toBe('NO_OUTPUT');
  });
});
