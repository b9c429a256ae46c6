import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalContentStore } from '../../../engines/storage/local-content-store';
import { StageRejection, type StageClip } from '../pipeline-stage';
import { UNSIGNED_RELEASE_NOTE, UnsignedReleaseStage } from './release.stage';

describe('UnsignedReleaseStage (the release gate until C2PA signing lands)', () => {
  let dir: string;
  let store: LocalContentStore;
  let sha256: string;
  const stage = new UnsignedReleaseStage();
  const clip = (over: Partial<StageClip>): StageClip => ({
    id: 'c',
    source: 'prompt',
    prompt: null,
    generator: null,
    referenceImageSha256: null,
    referenceImageType: null,
    mediaSha256: sha256,
    media: null,
    approvedMediaSha256: sha256,
    ...over,
  });
  const run = (c: StageClip) => stage.run({ clip: c, store, signal: new AbortController().signal, attempt: 1 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'release-stage-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
    const file = join(dir, 'approved.mp4');
    await writeFile(file, 'approved bytes');
    sha256 = await store.commit(await store.stageFile(file));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('runs in the SIGNING phase and is not the c2pa check', () => {
    expect({ name: stage.name, phase: stage.phase, check: stage.check }).toEqual({ name: 'release', phase: 'SIGNING', check: null });
  });

  it('releases exactly the approved file and says plainly that it is unsigned', async () => {
    expect(sha256).toBe(createHash('sha256').update('approved bytes').digest('hex'));
    const outcome = await run(clip({}));
    expect(outcome).toEqual({ verdict: 'allow', result: { releasedSha256: sha256, signed: false, note: UNSIGNED_RELEASE_NOTE } });
    expect(outcome.media).toBeUndefined();
    expect(UNSIGNED_RELEASE_NOTE).toMatch(/released unsigned/);
  });

  it('refuses a clip without a recorded approval, or whose file is not the approved one', async () => {
    await expect(run(clip({ approvedMediaSha256: null }))).rejects.toThrow(/no approved file/);
    await expect(run(clip({ mediaSha256: 'f'.repeat(64) }))).rejects.toThrow(StageRejection);
    await expect(run(clip({ mediaSha256: 'f'.repeat(64), approvedMediaSha256: 'f'.repeat(64) }))).rejects.toThrow(/cannot be read/);
  });

  it('refuses a stored file whose bytes no longer match the approved hash', async () => {
    const path = store.localPath(sha256);
    await rm(path, { force: true });
    await writeFile(path, 'tampered bytes');
    await expect(run(clip({}))).rejects.toMatchObject({ reasonCode: 'RELEASE_MEDIA_MISMATCH', message: expect.stringMatching(/hashes to [0-9a-f]{64}, not the approved/) });
  });
});
