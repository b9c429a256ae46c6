import { Command } from 'commander';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../../engines/media';
import { CliError } from '../cli-context';
import { registerWatermarkCommands, runWatermarkDetect, runWatermarkEmbed } from './watermark.command';

const KEY_HEX = '7e'.repeat(32);

describe('provenant watermark', () => {
  let dir: string;
  let clip: string;
  let keyFile: string;
  const env = { ...process.env, PROVENANT_WATERMARK_KEY: KEY_HEX };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wm-cli-'));
    clip = join(dir, 'clip.mp4');
    keyFile = join(dir, 'key.hex');
    await writeFile(keyFile, KEY_HEX);
    await runProcess(
      resolveFfmpegBinaries().ffmpeg,
      ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30,noise=alls=3:allf=t', '-t', '2', '-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p', clip],
      { timeoutMs: 60_000 },
    );
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('embeds with the key from the environment and detects with the same key from a file', async () => {
    const out = join(dir, 'marked.mp4');
    const embedded = await runWatermarkEmbed({ in: clip, out, payload: '00112233AABBCCDD' }, env);
    expect(embedded).toMatchObject({ output: out, width: 640, height: 360, visibleLabel: false });
    const detected = await runWatermarkDetect({ in: out, keyFile }, {});
    expect(detected).toMatchObject({ found: true, payload: '00112233aabbccdd', reason: null });
    expect(detected.confidence).toBeGreaterThan(0.999999);
  }, 60_000);

  it('prints exactly one JSON object for detect --json', async () => {
    const program = new Command('provenant').exitOverride();
    registerWatermarkCommands(program);
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    try {
      await program.parseAsync(['watermark', 'detect', '--in', clip, '--key-file', keyFile, '--json'], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(writes).toHaveLength(1);
    const parsed = JSON.parse(writes[0]);
    // No mark, so no confidence figure, and the key that was used is named.
    expect(parsed).toMatchObject({ found: false, payload: null, confidence: null, key: `key file ${keyFile}` });
  }, 60_000);

  it('fails with a usage error naming the problem: missing key, bad key, bad payload, not a video', async () => {
    await expect(runWatermarkDetect({ in: clip }, { DATA_DIR: dir })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('PROVENANT_WATERMARK_KEY') });
    await expect(runWatermarkDetect({ in: clip }, { PROVENANT_WATERMARK_KEY: 'abcd' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^BAD_KEY/) });
    await expect(runWatermarkEmbed({ in: clip, out: join(dir, 'x.mp4'), payload: 'abc' }, env)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^BAD_PAYLOAD/) });
    const notVideo = join(dir, 'readme.txt');
    await writeFile(notVideo, 'hello');
    const failure = runWatermarkDetect({ in: notVideo }, env);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^NOT_VIDEO/) });
  });
});
