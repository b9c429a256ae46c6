import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipDto } from '@provenant/shared';
import { resolveFfmpegBinaries } from '../../src/engines/media';
import { makeClip } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

/** The arguments of every ffmpeg the api and worker ran (FFMPEG_PATH points at a wrapper that logs, then runs the real one). */
async function ffmpegRuns(log: string): Promise<string[][]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => line.split('\x1f').filter(Boolean));
}

/**
 * One decode for all frame-based checks: in a clip's ANALYZING phase the
 * only ffmpeg processes that read its file are media analysis's one pass
 * (frames, thumbnail and, for an upload, the watermark detector's luma) and
 * the release render (its decode, and its encode, which takes only the audio
 * from the file). prior_provenance reads the watermark from the stored
 * luma; clip moderation reads the stored frames.
 */
describe('one decode for every frame-based check (real api, worker, ffmpeg)', () => {
  let stack: Stack;
  let dir: string;
  let log: string;
  let admin: string;

  const sourcePath = (sha256: string) => join(stack.env.DATA_DIR, 'store', 'objects', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  const runsReading = async (sha256: string) => (await ffmpegRuns(log)).filter((args) => args.includes(`file:${sourcePath(sha256)}`));
  const kind = (args: string[]) =>
    args.includes('-filter_complex') ? 'analysis pass' : args.includes('pipe:0') ? 'render encode' : args.includes('pipe:1') && args.includes('yuv420p') ? 'render decode' : `other: ${args.join(' ')}`;
  const settled = async (id: string) => (await stack.waitForState(id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 240_000)) as ClipDto;
  const stage = (clip: ClipDto, name: string) => clip.stages.find((s) => s.stage === name)!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'one-decode-e2e-'));
    log = join(dir, 'ffmpeg-runs.log');
    const wrapper = join(dir, 'ffmpeg');
    // One write per run (O_APPEND), so runs of concurrent stages do not interleave.
    await writeFile(wrapper, `#!/bin/sh\nline=$(printf '%s\\037' "$@")\nprintf '%s\\n' "$line" >> '${log}'\nexec '${resolveFfmpegBinaries().ffmpeg}' "$@"\n`);
    await chmod(wrapper, 0o755);
    stack = await startStack({ workers: 1, env: { FFMPEG_PATH: wrapper, WORKER_CONCURRENCY: '2' } });
    admin = await stack.login();
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('decodes an upload once for media analysis, prior provenance and clip moderation, and once more only for the release render', async () => {
    const file = await makeClip(dir, { width: 640, height: 360, seconds: 4, name: 'upload.mp4' });
    const form = new FormData();
    form.append('generator', 'my-own-model');
    form.append('file', new Blob([await readFile(file)]), 'upload.mp4');
    const res = await stack.call('/api/v1/clips/upload', { token: admin, body: form });
    expect(res.status).toBe(202);
    const clip = await settled(res.body.id);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(stage(clip, 'prior_provenance')).toMatchObject({ status: 'succeeded', verdict: 'allow', result: { watermark: { found: false, payload: null } } });
    expect(stage(clip, 'media_analysis').result.watermarkLuma).toMatchObject({ frames: 120, width: 640, height: 360 });

    const runs = await runsReading(stage(clip, 'watermark').result.sourceSha256 as string);
    expect(runs.map(kind).sort()).toEqual(['analysis pass', 'render decode', 'render encode']);
    const analysis = runs.find((args) => kind(args) === 'analysis pass')!;
    expect(analysis.join(' ')).toMatch(/\[thumbnail\].*\[luma\]/);
  });

  it('decodes no watermark luma for a generated clip, whose stages do not read it', async () => {
    const submitted = await stack.call('/api/v1/clips', { token: admin, body: { prompt: 'a quiet harbour at dawn' } });
    expect(submitted.status).toBe(202);
    const clip = await settled(submitted.body.id);
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(stage(clip, 'media_analysis').result.watermarkLuma).toBeUndefined();
    const runs = await runsReading(stage(clip, 'watermark').result.sourceSha256 as string);
    expect(runs.map(kind).sort()).toEqual(['analysis pass', 'render decode', 'render encode']);
    expect(runs.find((args) => kind(args) === 'analysis pass')!.join(' ')).not.toContain('[luma]');
  });
});
