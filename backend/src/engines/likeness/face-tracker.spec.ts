import { createLocalFetch, type DetectedFace, type FaceBox, FaceTracker, LocalFetchRefused } from '.';
import { locateModelFiles } from './model-files';

const face = (box: FaceBox, overall = 0.5, embedding: Float32Array | null = null): DetectedFace => ({
  box,
  score: 0.9,
  quality: { detectionScore: 0.9, meshScore: 1, faceSizePx: Math.min(box.width, box.height), rotation: null, overall },
  embedding,
  modelVersion: 'test/1',
});
const unit = (i: number) => Float32Array.from({ length: 8 }, (_, k) => (k === i ? 1 : 0.05));

describe('FaceTracker', () => {
  it('joins a face panned at 90 px/s, sampled 1 s apart (boxes never overlap), into one track and keeps the best 3', () => {
    const tracker = new FaceTracker();
    for (let t = 0; t < 10; t++) tracker.addFrame(t, [face({ x: 100 + 90 * t, y: 300, width: 70, height: 70 }, t === 4 ? 0.9 : 0.1 * (t % 4))]);
    const [track, ...rest] = tracker.tracks();
    expect(rest).toHaveLength(0);
    expect(track.times).toHaveLength(10);
    expect(track.best.map((b) => b.timeSeconds)).toEqual([4, 3, 7]);
  });

  it('keeps two faces side by side apart, and starts a new track for a face far away', () => {
    const tracker = new FaceTracker();
    for (let t = 0; t < 5; t++) tracker.addFrame(t * 0.5, [face({ x: 100 + 20 * t, y: 100, width: 80, height: 80 }), face({ x: 900 - 20 * t, y: 120, width: 90, height: 90 })]);
    tracker.addFrame(3, [face({ x: 600, y: 600, width: 40, height: 40 })]);
    expect(tracker.tracks().map((t) => t.times.length)).toEqual([5, 5, 1]);
  });

  it('joins by embedding across a jump and refuses a positional join of a clearly different embedding', () => {
    const tracker = new FaceTracker();
    tracker.addFrame(0, [face({ x: 100, y: 100, width: 80, height: 80 }, 0.5, unit(0))]);
    tracker.addFrame(1, [face({ x: 900, y: 500, width: 80, height: 80 }, 0.5, unit(0))]);
    tracker.addFrame(2, [face({ x: 905, y: 500, width: 80, height: 80 }, 0.5, unit(3))]);
    expect(tracker.tracks().map((t) => t.times)).toEqual([[0, 1], [2]]);
  });

  it('closes tracks after a gap and refuses frames out of order', () => {
    const tracker = new FaceTracker({ maxGapSeconds: 2 });
    tracker.addFrame(0, [face({ x: 100, y: 100, width: 80, height: 80 })]);
    tracker.addFrame(5, [face({ x: 100, y: 100, width: 80, height: 80 })]);
    expect(tracker.tracks()).toHaveLength(2);
    expect(() => tracker.addFrame(5, [])).toThrow(/frame times must increase/);
    expect(() => tracker.addFrame(NaN, [])).toThrow(RangeError);
  });
});

describe('local-only fetch (the analysis threads use it as their global fetch)', () => {
  const files = locateModelFiles();
  const fetchLocal = createLocalFetch([files.modelsDir, files.wasmDir]);

  it('serves the model and wasm files', async () => {
    const res = await fetchLocal(`file://${files.modelsDir}/faceres.json`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { format?: string }).format).toBe('graph-model');
    expect((await (await fetchLocal(new URL(`file://${files.wasmDir}/tfjs-backend-wasm.wasm`))).arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it.each([
    ['https://example.com/faceres.json', /only file:\/\/ URLs/],
    ['http://127.0.0.1/models/faceres.json', /only file:\/\/ URLs/],
    ['data:application/json,{}', /only file:\/\/ URLs/],
    ['file:///etc/passwd', /outside the model and wasm directories/],
    ['file://evil.example/etc/passwd', /with a host/],
    ['faceres.json', /not an absolute URL/],
  ])('refuses %s', async (url, why) => {
    await expect(fetchLocal(url)).rejects.toThrow(LocalFetchRefused);
    await expect(fetchLocal(url)).rejects.toThrow(why);
  });

  it('refuses a path that climbs out of the models directory', async () => {
    await expect(fetchLocal(`file://${files.modelsDir}/../package.json`)).rejects.toThrow(/outside/);
    await expect(fetchLocal(`file://${files.modelsDir}/no-such-model.json`)).rejects.toThrow(/no such file/);
  });
});
