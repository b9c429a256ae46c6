import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'jpeg-js';
import { makeSceneCutClip } from '../../../test/support/media-corpus';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';
import { MediaProcessError } from './run-process';
import { extractThumbnail } from './thumbnail';

describe('extractThumbnail', () => {
  const bins = resolveFfmpegBinaries();
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'thumbnail-'));
    clip = await makeSceneCutClip(dir, { seconds: 2, cutAtSeconds: 1, width: 320, height: 240 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a scaled JPEG of the frame at the requested time', async () => {
    const out = join(dir, 'thumb.jpg');
    const result = await extractThumbnail(bins, clip, out, { atSeconds: 1.5, width: 160, timeoutMs: 10_000 });
    expect(result.path).toBe(out);
    const image = decode(await readFile(out));
    expect([image.width, image.height]).toEqual([160, 120]);
    expect(result.bytes).toBeGreaterThan(0);
    // 1.5 s is after the cut to solid red.
    expect(image.data[0]).toBeGreaterThan(200);
    expect(image.data[2]).toBeLessThan(60);
  });

  it('fails with NO_OUTPUT past the end of the clip, even if a stale file exists', async () => {
    const out = join(dir, 'stale.jpg');
    await writeFile(out, 'stale');
    const error = await extractThumbnail(bins, clip, out, { atSeconds: 30, width: 160, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaProcessError);
    expect((error as MediaProcessError).code).toBe('NO_OUTPUT');
  });
});
