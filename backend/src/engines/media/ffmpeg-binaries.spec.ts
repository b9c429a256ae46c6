import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';
import { runProcess } from './run-process';

describe('resolveFfmpegBinaries', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ffmpeg-binaries-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds working bundled binaries when nothing is configured', async () => {
    const bins = resolveFfmpegBinaries({});
    expect(bins.ffmpeg).toBe(require('@ffmpeg-installer/ffmpeg').path);
    expect(bins.ffprobe).toBe(require('@ffprobe-installer/ffprobe').path);
    const { stdout } = await runProcess(bins.ffprobe, ['-version'], { timeoutMs: 10_000 });
    expect(stdout.toString()).toMatch(/^ffprobe version/);
  });

  it('uses FFMPEG_PATH and FFPROBE_PATH when they point at executables', async () => {
    const ffmpeg = join(dir, 'my-ffmpeg');
    await writeFile(ffmpeg, '#!/bin/sh\n');
    await chmod(ffmpeg, 0o755);
    const bundled = resolveFfmpegBinaries({});
    expect(resolveFfmpegBinaries({ FFMPEG_PATH: ffmpeg, FFPROBE_PATH: bundled.ffprobe })).toEqual({
      ffmpeg,
      ffprobe: bundled.ffprobe,
    });
  });

  it('names the variable when the configured path is unusable', async () => {
    const notExecutable = join(dir, 'plain-file');
    await writeFile(notExecutable, 'x');
    await chmod(notExecutable, 0o644);

    expect(() => resolveFfmpegBinaries({ FFMPEG_PATH: join(dir, 'nope') })).toThrow(/^FFMPEG_PATH=.*nope does not exist$/);
    expect(() => resolveFfmpegBinaries({ FFPROBE_PATH: dir })).toThrow(/^FFPROBE_PATH=.* is not a regular file$/);
    // Holds for root too: X_OK needs at least one execute bit.
    expect(() => resolveFfmpegBinaries({ FFMPEG_PATH: notExecutable })).toThrow(/^FFMPEG_PATH=.* is not executable$/);
  });
});
