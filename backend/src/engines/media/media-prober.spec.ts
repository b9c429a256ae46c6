import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostileMedia, HostileName, makeClip, makeHostileCorpus } from '../../../test/support/media-corpus';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';
import { MediaProber } from './media-prober';
import { MediaRejectedError } from './media-rejected-error';
import { MediaProcessError } from './run-process';

describe('MediaProber', () => {
  const bins = resolveFfmpegBinaries();
  const prober = new MediaProber(bins, { timeoutMs: 15_000 });
  let dir: string;
  let hostile: Record<HostileName, HostileMedia>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-prober-'));
    hostile = await makeHostileCorpus(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('describes an H.264/AAC MP4', async () => {
    const clip = await makeClip(dir, { seconds: 2, width: 320, height: 240, videoCodec: 'h264', audio: 'aac', container: 'mp4' });
    const probed = await prober.probe(clip);
    expect(probed).toMatchObject({
      container: 'mp4',
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      width: 320,
      height: 240,
      videoCodec: 'h264',
      audioCodec: 'aac',
      frameRate: 30,
      hasVideo: true,
    });
    expect(probed.durationSeconds).toBeCloseTo(2, 1);
    expect(probed.bytes).toBeGreaterThan(1000);
  });

  it('tells MOV from MP4 by the ftyp brand although ffprobe names both the same', async () => {
    const clip = await makeClip(dir, { videoCodec: 'hevc', audio: 'aac', container: 'mov', width: 128, height: 96 });
    const probed = await prober.probe(clip);
    expect(probed).toMatchObject({ container: 'mov', majorBrand: 'qt  ', videoCodec: 'hevc', width: 128, height: 96 });
  });

  it('reports a silent clip as having no audio codec and recognises AV1 with Opus', async () => {
    const silent = await prober.probe(await makeClip(dir, { audio: null }));
    expect(silent.audioCodec).toBeNull();
    const av1 = await prober.probe(
      await makeClip(dir, { videoCodec: 'av1', audio: 'opus', seconds: 0.5, width: 64, height: 64 }),
    );
    expect(av1).toMatchObject({ container: 'mp4', videoCodec: 'av1', audioCodec: 'opus' });
  });

  const cases: HostileName[] = [
    'truncated',
    'zeroBytes',
    'absurdDimensions',
    'wrongMagic',
    'textAsMp4',
    'pngAsMp4',
    'vp9Webm',
    'audioOnly',
    'corruptSampleTable',
  ];
  it.each(cases)('rejects the hostile file %s with a typed reason', async (name) => {
    const item = hostile[name];
    const error = await prober.probe(item.path).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(MediaRejectedError);
    expect((error as MediaRejectedError).code).toBe(item.expectedRejection);
    expect((error as MediaRejectedError).reason.length).toBeGreaterThan(10);
  });

  it('names what the rejected files look like', async () => {
    await expect(prober.probe(hostile.pngAsMp4.path)).rejects.toThrow('it looks like a PNG image');
    await expect(prober.probe(hostile.textAsMp4.path)).rejects.toThrow('it looks like a text file');
    await expect(prober.probe(hostile.vp9Webm.path)).rejects.toThrow('WebM');
    await expect(prober.probe(hostile.absurdDimensions.path)).rejects.toThrow('tkhd header claims 65535x65535');
    await expect(prober.probe(hostile.truncated.path)).rejects.toThrow(/truncated: its 'mdat' box needs \d+ bytes/);
  });

  it('rejects a sample table whose child boxes overrun their parent as malformed', async () => {
    const bytes = Buffer.from(await readFile(await makeClip(dir, { name: 'to-corrupt.mp4' })));
    const stbl = bytes.indexOf('stbl', 0, 'latin1');
    bytes.fill(0xff, stbl + 4, stbl + 40); // the stsd header inside now claims 4 GiB
    const path = join(dir, 'overrun.mp4');
    await writeFile(path, bytes);
    const error = await prober.probe(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MediaRejectedError);
    expect(error).toMatchObject({ code: 'MALFORMED', reason: expect.stringContaining("overruns its parent 'stbl'") });
  });

  it('reports ffprobe\'s own complaint, without the file path, for an unreadable file', async () => {
    await expect(prober.probe(hostile.corruptSampleTable.path)).rejects.toMatchObject({
      reason: 'the file could not be read as video (Invalid data found when processing input)',
    });
  });

  it('fails with a TIMEOUT process error, not a rejection, when ffprobe exceeds its deadline', async () => {
    const hasty = new MediaProber(bins, { timeoutMs: 1 });
    const clip = await makeClip(dir, { name: 'timeout.mp4' });
    const error = await hasty.probe(clip).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MediaProcessError);
    expect((error as MediaProcessError).code).toBe('TIMEOUT');
  });
});
