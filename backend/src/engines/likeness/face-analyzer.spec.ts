import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUGMENTATIONS, chooseThresholds, ensureFaceMedia, FACELESS, IDENTITIES, loadPicture, percentile, placeOnCanvas } from '../../../bench/corpora/face-corpus';
import { resolveFfmpegBinaries } from '../media';
import { cosineDistance, DEFAULT_THRESHOLDS, type DetectedFace, FaceAnalyzer, FaceTracker, LIKENESS_MODEL_VERSION, LikenessInputError, TemplateIndex, verdictFor } from '.';

// Real models, real photographs (Debian packages, fixtures/likeness/fetch-faces.sh, run here when
// the files are missing). One analyser thread, loaded once, serves every test in this file.
const bins = resolveFfmpegBinaries();
let analyzer: FaceAnalyzer;
let media: string;
let scratch: string;

beforeAll(async () => {
  media = ensureFaceMedia();
  scratch = await mkdtemp(join(tmpdir(), 'likeness-'));
  analyzer = await FaceAnalyzer.create({ threads: 1 });
}, 180_000);
afterAll(async () => {
  await analyzer?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function only(faces: Promise<DetectedFace[]>, what: string): Promise<DetectedFace> {
  const found = await faces;
  if (found.length !== 1) throw new Error(`${what}: expected exactly one face, found ${found.length}`);
  return found[0];
}

describe('FaceAnalyzer (human 3.3.6 on tfjs-wasm, in a worker thread)', () => {
  it('finds exactly one face in each portrait, with its box, quality, a normalised 1024-d embedding and the model version', async () => {
    for (const identity of IDENTITIES) {
      const picture = await loadPicture(bins, join(media, identity.file));
      const face = await only(analyzer.analyse(picture), identity.id);
      expect(face.modelVersion).toBe(LIKENESS_MODEL_VERSION);
      expect(face.embedding).toHaveLength(1024);
      const norm = Math.sqrt(face.embedding!.reduce((s, v) => s + v * v, 0));
      expect(norm).toBeCloseTo(1, 4);
      expect(face.score).toBeGreaterThanOrEqual(0.6);
      expect(face.quality.faceSizePx).toBeGreaterThanOrEqual(40);
      expect(face.box.x).toBeGreaterThanOrEqual(0);
      expect(face.box.x + face.box.width).toBeLessThanOrEqual(picture.width + 1);
      expect(face.quality.overall).toBeGreaterThan(0);
    }
  }, 120_000);

  it('finds no face in faceless pictures, cats, a dog, an owl and a mandrill among them', async () => {
    const found: Record<string, number> = {};
    for (const picture of FACELESS) found[picture.id] = (await analyzer.analyse(await loadPicture(bins, join(media, picture.file)))).length;
    expect(found).toEqual(Object.fromEntries(FACELESS.map((p) => [p.id, 0])));
  }, 120_000);

  it('puts the box where the face is, in input pixels', async () => {
    const face = await loadPicture(bins, join(media, IDENTITIES[0].file), { name: 'half', vf: 'scale=256:256' });
    const alone = await only(analyzer.analyse(face), 'alone');
    const frame = placeOnCanvas(face, 1280, 720, 700, 300);
    const placed = await only(analyzer.analyse(frame), 'placed');
    expect(Math.abs(placed.box.x - (alone.box.x + 700))).toBeLessThan(12);
    expect(Math.abs(placed.box.y - (alone.box.y + 300))).toBeLessThan(12);
    expect(verdictFor(cosineDistance(alone.embedding!, placed.embedding!), DEFAULT_THRESHOLDS)).toBe('same');
  }, 60_000);

  it('detects without embedding when asked (embed: false)', async () => {
    const picture = await loadPicture(bins, join(media, IDENTITIES[0].file));
    const face = await only(analyzer.analyse(picture, { embed: false }), 'detection only');
    expect(face.embedding).toBeNull();
  }, 60_000);

  it('refuses malformed pictures with a clear error and keeps working', async () => {
    const cases: Array<[string, unknown]> = [
      ['zero size', { width: 0, height: 0, data: new Uint8Array(0) }],
      ['negative width', { width: -4, height: 4, data: new Uint8Array(48) }],
      ['fractional height', { width: 4, height: 2.5, data: new Uint8Array(30) }],
      ['short buffer', { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3 - 1) }],
      ['long buffer', { width: 64, height: 64, data: new Uint8Array(64 * 64 * 5) }],
      ['not bytes', { width: 2, height: 2, data: [1, 2, 3] }],
      ['too many pixels', { width: 20_000, height: 20_000, data: new Uint8Array(3) }],
      ['null', null],
    ];
    for (const [what, image] of cases) {
      await expect(analyzer.analyse(image as never)).rejects.toThrow(LikenessInputError);
    }
    await expect(analyzer.analyse({ width: 64, height: 64, data: new Uint8Array(10) })).rejects.toThrow(/has 10 bytes; a 64×64 picture needs 12288 \(RGB\) or 16384 \(RGBA\)/);
    // A tiny and a flat picture are valid input without faces, not errors.
    expect(await analyzer.analyse({ width: 1, height: 1, data: new Uint8Array(3) })).toEqual([]);
    expect(await analyzer.analyse({ width: 640, height: 360, data: new Uint8Array(640 * 360 * 4).fill(200) })).toEqual([]);
    const picture = await loadPicture(bins, join(media, IDENTITIES[0].file));
    expect(await analyzer.analyse(picture)).toHaveLength(1);
  }, 60_000);

  it('tracks a face panned at 90 px/s across frames sampled 1 s apart as one track, keeping its best 3', async () => {
    const face = await loadPicture(bins, join(media, IDENTITIES[2].file), { name: 'small', vf: 'scale=240:-2' });
    const tracker = new FaceTracker();
    for (let t = 0; t < 8; t++) {
      const frame = placeOnCanvas(face, 1280, 720, 100 + 90 * t, 200 + 10 * t);
      tracker.addFrame(t, await analyzer.analyse(frame, { embed: false }));
    }
    const tracks = tracker.tracks();
    expect(tracks).toHaveLength(1);
    expect(tracks[0].times).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(tracks[0].best).toHaveLength(3);
  }, 120_000);
});

describe('calibration on the face corpus (thresholds from the tuning split, errors on the held-out split)', () => {
  it('chooses DEFAULT_THRESHOLDS from the tuning split, and the held-out split has no false match', async () => {
    const embeddings: Array<{ id: string; split: string; aug: string; embedding: Float32Array }> = [];
    const missed: string[] = [];
    for (const identity of IDENTITIES) {
      for (const aug of AUGMENTATIONS) {
        const faces = await analyzer.analyse(await loadPicture(bins, join(media, identity.file), aug, scratch));
        if (faces.length !== 1) missed.push(`${identity.id}/${aug.name}: ${faces.length} faces`);
        else embeddings.push({ id: identity.id, split: identity.split, aug: aug.name, embedding: faces[0].embedding! });
      }
    }
    // Detection recall is part of the result: the grey three-quarter "cameraman" is lost under several
    // alterations at any score, and Messi's face falls under the 40 px minimum at half size.
    const portraits = missed.filter((m) => /^(collins|hopper)\//.test(m));
    expect(portraits).toEqual([]);
    expect(embeddings.length / (IDENTITIES.length * AUGMENTATIONS.length)).toBeGreaterThanOrEqual(0.75);
    const pairs = { tuning: { same: [] as number[], different: [] as number[] }, 'held-out': { same: [] as number[], different: [] as number[] }, cross: [] as number[] };
    for (let i = 0; i < embeddings.length; i++) {
      for (let j = i + 1; j < embeddings.length; j++) {
        const a = embeddings[i];
        const b = embeddings[j];
        const d = cosineDistance(a.embedding, b.embedding);
        if (a.split !== b.split) pairs.cross.push(d);
        else pairs[a.split as 'tuning' | 'held-out'][a.id === b.id ? 'same' : 'different'].push(d);
      }
    }
    const sorted = (v: number[]) => [...v].sort((x, y) => x - y);
    const summary = (v: number[]) => {
      const s = sorted(v);
      return { n: s.length, min: s[0], p5: percentile(s, 5), p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] };
    };
    const chosen = chooseThresholds(pairs.tuning.same, pairs.tuning.different);
    const heldDifferent = [...pairs['held-out'].different, ...pairs.cross];
    const rates = (same: number[], different: number[]) => ({
      sameCalledDifferent: same.filter((d) => verdictFor(d, DEFAULT_THRESHOLDS) === 'different').length / same.length,
      sameSentToReview: same.filter((d) => verdictFor(d, DEFAULT_THRESHOLDS) === 'review').length / same.length,
      differentCalledSame: different.filter((d) => verdictFor(d, DEFAULT_THRESHOLDS) === 'same').length / different.length,
      differentSentToReview: different.filter((d) => verdictFor(d, DEFAULT_THRESHOLDS) === 'review').length / different.length,
    });
    const report = {
      chosen,
      detected: `${embeddings.length}/${IDENTITIES.length * AUGMENTATIONS.length}`,
      missed,
      tuning: { same: summary(pairs.tuning.same), different: summary(pairs.tuning.different), rates: rates(pairs.tuning.same, pairs.tuning.different) },
      heldOut: { same: summary(pairs['held-out'].same), different: summary(heldDifferent), rates: rates(pairs['held-out'].same, heldDifferent) },
      perIdentityMaxSame: Object.fromEntries(IDENTITIES.map((id) => {
        const own = embeddings.filter((e) => e.id === id.id);
        const ds = own.flatMap((a, i) => own.slice(i + 1).map((b) => cosineDistance(a.embedding, b.embedding)));
        return [id.id, Math.max(...ds)];
      })),
    };
    await writeFile(join(media, 'calibration.json'), JSON.stringify(report, null, 2));
    process.stdout.write(`likeness calibration: ${JSON.stringify(report)}\n`);
    // The shipped constants are what the rule picks on the tuning split (never on the held-out one).
    expect(chosen).toEqual({ ...DEFAULT_THRESHOLDS });
    expect(report.heldOut.rates.differentCalledSame).toBe(0);
    expect(report.heldOut.rates.sameCalledDifferent).toBe(0);
  }, 300_000);

  it('matches an altered photograph to the right subject among 10,000 random templates', async () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    for (const identity of IDENTITIES) {
      const face = await only(analyzer.analyse(await loadPicture(bins, join(media, identity.file))), identity.id);
      index.add({ subjectId: identity.id, templateId: `${identity.id}-0`, embedding: face.embedding!, modelVersion: face.modelVersion });
    }
    let seed = 7;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    };
    for (let i = 0; i < 10_000; i++) index.add({ subjectId: `noise-${i}`, templateId: `noise-${i}`, embedding: Float32Array.from({ length: 1024 }, random), modelVersion: LIKENESS_MODEL_VERSION });
    for (const identity of IDENTITIES) {
      const altered = await only(analyzer.analyse(await loadPicture(bins, join(media, identity.file), AUGMENTATIONS[1], scratch)), identity.id);
      const match = index.match(altered.embedding!)!;
      expect({ subject: match.subjectId, verdict: match.verdict }).toEqual({ subject: identity.id, verdict: 'same' });
      expect(match).toMatchObject({ matchThreshold: DEFAULT_THRESHOLDS.matchThreshold, differentThreshold: DEFAULT_THRESHOLDS.differentThreshold, modelVersion: LIKENESS_MODEL_VERSION });
    }
  }, 120_000);
});
