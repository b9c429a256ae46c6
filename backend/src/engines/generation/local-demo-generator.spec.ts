import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'jpeg-js';
import { FrameSampler, MediaProber, readMp4Structure, resolveFfmpegBinaries, runProcess } from '../media';
import { makeStillImage } from '../../../test/support/media-corpus';
import { composeDemoScene, DemoScene } from './demo-scene';
import { GenerationError } from './generation-provider';
import { LocalDemoGenerator, wrapCaption } from './local-demo-generator';

describe('LocalDemoGenerator', () => {
  const bins = resolveFfmpegBinaries();
  const prober = new MediaProber(bins, { timeoutMs: 15_000 });
  const small = { seconds: 1, width: 192, height: 108, timeoutMs: 30_000 };
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'demo-gen-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

  it('renders a faststart H.264/AAC MP4 of the configured size and duration', async () => {
    const generator = new LocalDemoGenerator(bins, { seconds: 2, width: 320, height: 180, timeoutMs: 30_000 });
    const outputPath = join(dir, 'fox.mp4');
    const result = await generator.generate({ prompt: 'a red fox running through snowy woods', outputPath });

    expect(result).toEqual({ provider: 'local-demo', model: 'lavfi-demo-1', providerJobId: null, seconds: 2, width: 320, height: 180 });
    const probed = await prober.probe(outputPath);
    expect(probed).toMatchObject({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 180, frameRate: 30 });
    expect(probed.durationSeconds).toBeGreaterThanOrEqual(1.95);
    expect(probed.durationSeconds).toBeLessThanOrEqual(2.1);
    const { stdout } = await runProcess(
      bins.ffprobe,
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt,nb_frames', '-of', 'csv=p=0', outputPath],
      { timeoutMs: 10_000 },
    );
    expect(stdout.toString().trim()).toBe('yuv420p,60');
    // The melody is audible: mean level well above silence (-91 dB), below clipping.
    const { stderr } = await runProcess(bins.ffmpeg, ['-hide_banner', '-i', outputPath, '-af', 'volumedetect', '-f', 'null', '-'], {
      timeoutMs: 10_000,
    });
    const meanVolume = Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1]);
    expect(meanVolume).toBeGreaterThan(-35);
    expect(meanVolume).toBeLessThan(-6);
    const { topLevelBoxes } = await readMp4Structure(outputPath);
    expect(topLevelBoxes.indexOf('moov')).toBeLessThan(topLevelBoxes.indexOf('mdat'));
  });

  it('is byte-identical for the same prompt and differs between prompts', async () => {
    const generator = new LocalDemoGenerator(bins, small);
    const prompt = 'a lighthouse at dusk, waves crashing';
    await generator.generate({ prompt, outputPath: join(dir, 'same-1.mp4') });
    await generator.generate({ prompt, outputPath: join(dir, 'same-2.mp4') });
    await generator.generate({ prompt: `${prompt}!`, outputPath: join(dir, 'other.mp4') });
    expect(await sha256(join(dir, 'same-1.mp4'))).toBe(await sha256(join(dir, 'same-2.mp4')));
    expect(await sha256(join(dir, 'other.mp4'))).not.toBe(await sha256(join(dir, 'same-1.mp4')));
  });

  it('renders every kind of scene', async () => {
    const byKind = new Map<DemoScene['kind'], string>();
    for (let i = 0; byKind.size < 4 && i < 200; i++) {
      const prompt = `scene probe ${i}`;
      byKind.set(composeDemoScene(prompt, { seconds: 1, width: 192, height: 108, fps: 30 }, false).kind, prompt);
    }
    expect([...byKind.keys()].sort()).toEqual(['life', 'mandelbrot', 'plasma']);
    const generator = new LocalDemoGenerator(bins, small);
    for (const [kind, prompt] of byKind) {
      const outputPath = join(dir, `kind-${kind}.mp4`);
      await generator.generate({ prompt, outputPath });
      expect(await prober.probe(outputPath)).toMatchObject({ videoCodec: 'h264', width: 192, height: 108 });
    }
  });

  it('pans and zooms over a reference image', async () => {
    const image = await makeStillImage(dir, { name: 'red.png', width: 400, height: 300, format: 'png', color: 'red' });
    const generator = new LocalDemoGenerator(bins, { ...small, fontFile: null });
    const outputPath = join(dir, 'from-image.mp4');
    await generator.generate({ prompt: 'make it move', referenceImage: { path: image, mimeType: 'image/png' }, outputPath });

    const thumb = join(dir, 'from-image.jpg');
    await new FrameSampler(bins, { timeoutMs: 10_000 }).sample(outputPath, join(dir, 'from-image-frames'), { thumbnail: { atSeconds: 0.5, width: 192, path: thumb } });
    const { data } = decode(await readFile(thumb));
    expect(data[0]).toBeGreaterThan(200);
    expect(data[1]).toBeLessThan(60);
    expect(data[2]).toBeLessThan(60);

    const webp = await makeStillImage(dir, { name: 'pattern.webp', width: 256, height: 256, format: 'webp' });
    const fromWebp = join(dir, 'from-webp.mp4');
    await generator.generate({ prompt: 'make it move', referenceImage: { path: webp, mimeType: 'image/webp' }, outputPath: fromWebp });
    expect(await prober.probe(fromWebp)).toMatchObject({ videoCodec: 'h264', width: 192, height: 108 });
  });

  it('refuses a reference image whose content does not match its declared type', async () => {
    const notPng = await makeStillImage(dir, { name: 'not.png', width: 64, height: 64, format: 'jpg' });
    const generator = new LocalDemoGenerator(bins, small);
    const error = await generator
      .generate({ prompt: 'x', referenceImage: { path: notPng, mimeType: 'image/png' }, outputPath: join(dir, 'never.mp4') })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GenerationError);
    expect(error).toMatchObject({
      code: 'INVALID_REQUEST',
      retryable: false,
      message: 'reference image is declared image/png but its content is jpg',
    });
  });

  it('takes prompts full of filter syntax literally and fonts from awkward paths', async () => {
    const fontDir = join(dir, "fonts: a,b [c]; it's");
    await mkdir(fontDir);
    const generator = new LocalDemoGenerator(bins, small);
    expect(generator.fontFile).not.toBeNull();
    const fontFile = join(fontDir, 'font.ttf');
    await copyFile(generator.fontFile!, fontFile);
    const awkward = new LocalDemoGenerator(bins, { ...small, fontFile });
    const outputPath = join(dir, 'hostile-prompt.mp4');
    await awkward.generate({ prompt: "%{localtime} %{eif:1/0:d} ', :x [v] ; \\ \n drawtext=text=pwned", outputPath });
    expect(await prober.probe(outputPath)).toMatchObject({ videoCodec: 'h264' });
  });

  it('honours the timeout and leaves nothing at the output path', async () => {
    const outDir = join(dir, 'timeout');
    await mkdir(outDir);
    const generator = new LocalDemoGenerator(bins, { seconds: 10, width: 1280, height: 720, timeoutMs: 300 });
    const started = Date.now();
    const error = await generator.generate({ prompt: 'slow', outputPath: join(outDir, 'out.mp4') }).catch((err: unknown) => err);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(GenerationError);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('stops when aborted and leaves nothing at the output path', async () => {
    const outDir = join(dir, 'abort');
    await mkdir(outDir);
    const generator = new LocalDemoGenerator(bins, { seconds: 10, width: 1280, height: 720, timeoutMs: 30_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const error = await generator
      .generate({ prompt: 'cancelled', outputPath: join(outDir, 'out.mp4'), signal: controller.signal })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(await readdir(outDir)).toEqual([]);
  });

  it('rejects sizes H.264 4:2:0 cannot encode', () => {
    expect(() => new LocalDemoGenerator(bins, { width: 321, height: 180, timeoutMs: 1000 })).toThrow('width must be an even integer');
    expect(() => new LocalDemoGenerator(bins, { seconds: 0, timeoutMs: 1000 })).toThrow('seconds must be in (0, 60]');
  });
});

describe('wrapCaption', () => {
  it('wraps on words, splits overlong words and stops at three lines with an ellipsis', () => {
    expect(wrapCaption('a red fox\tin the snow', 200, 20)).toBe('a red fox in\nthe snow');
    expect(wrapCaption('x'.repeat(20), 200, 20)).toBe(`${'x'.repeat(15)}\n${'x'.repeat(5)}`);
    const long = wrapCaption('word '.repeat(40), 200, 20).split('\n');
    expect(long).toHaveLength(3);
    expect(long[2].endsWith('…')).toBe(true);
  });
});
