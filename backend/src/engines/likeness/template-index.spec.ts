import { performance } from 'node:perf_hooks';
import { cosineDistance, decodeTemplate, DEFAULT_THRESHOLDS, encodeTemplate, LIKENESS_MODEL_VERSION, TemplateIndex, verdictFor } from '.';

/** mulberry32, in [-1, 1). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
const random = rng(42);
const vector = (dim = 1024) => Float32Array.from({ length: dim }, random);
/** `base` moved by `amount` of noise (cosine distance grows with amount). */
const near = (base: Float32Array, amount: number) => Float32Array.from(base, (v) => v + amount * random());

describe('TemplateIndex', () => {
  it('returns the right subject among many random templates, with distance, both thresholds and the model version', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    const target = vector();
    for (let i = 0; i < 5_000; i++) index.add({ subjectId: `s${i % 2500}`, templateId: `t${i}`, embedding: vector(), modelVersion: LIKENESS_MODEL_VERSION });
    index.add({ subjectId: 'alice', templateId: 'alice-1', embedding: target, modelVersion: LIKENESS_MODEL_VERSION });
    const match = index.match(near(target, 0.1))!;
    expect(match).toMatchObject({ subjectId: 'alice', templateId: 'alice-1', verdict: 'same', modelVersion: LIKENESS_MODEL_VERSION, ...DEFAULT_THRESHOLDS });
    expect(match.distance).toBeCloseTo(cosineDistance(near(target, 0), target), 1);
    // A random stranger is far from everyone: nearest is `different`.
    expect(index.match(vector())!.verdict).toBe('different');
    const top = index.topSubjects(near(target, 0.1), 3);
    expect(top.map((m) => m.subjectId)[0]).toBe('alice');
    expect(new Set(top.map((m) => m.subjectId)).size).toBe(3);
  });

  it('bands distances: same, review, different', () => {
    expect(verdictFor(DEFAULT_THRESHOLDS.matchThreshold, DEFAULT_THRESHOLDS)).toBe('same');
    expect(verdictFor((DEFAULT_THRESHOLDS.matchThreshold + DEFAULT_THRESHOLDS.differentThreshold) / 2, DEFAULT_THRESHOLDS)).toBe('review');
    expect(verdictFor(DEFAULT_THRESHOLDS.differentThreshold, DEFAULT_THRESHOLDS)).toBe('different');
  });

  it('removes templates and subjects, replaces by template id, refuses other model versions and lengths', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    const a = vector();
    index.add({ subjectId: 'a', templateId: 'a1', embedding: a, modelVersion: LIKENESS_MODEL_VERSION });
    index.add({ subjectId: 'b', templateId: 'b1', embedding: vector(), modelVersion: LIKENESS_MODEL_VERSION });
    index.add({ subjectId: 'b', templateId: 'b2', embedding: vector(), modelVersion: LIKENESS_MODEL_VERSION });
    expect(index.size).toBe(3);
    expect(index.removeSubject('b')).toBe(2);
    expect(index.match(a)!.subjectId).toBe('a');
    expect(index.remove('a1')).toBe(true);
    expect(index.match(a)).toBeNull();
    expect(() => index.add({ subjectId: 'c', templateId: 'c1', embedding: vector(), modelVersion: 'human-3.3.5/faceres' })).toThrow(/of model human-3.3.5\/faceres, the index holds/);
    expect(() => index.add({ subjectId: 'c', templateId: 'c1', embedding: vector(512), modelVersion: LIKENESS_MODEL_VERSION })).toThrow(/512 values, expected 1024/);
    expect(() => index.match(vector(), 'other/1')).toThrow(/query embedding is of model other\/1/);
    expect(() => index.add({ subjectId: 'z', templateId: 'z', embedding: new Float32Array(1024), modelVersion: LIKENESS_MODEL_VERSION })).toThrow(/zero/);
  });

  it('finds the one true template among 100,000 (time recorded; the 10 ms goal is NOT met, see README)', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    // Overlapping windows of one random buffer: 100,000 distinct vectors without 100 M random draws.
    const pool = Float32Array.from({ length: 100_000 * 7 + 1024 }, random);
    const one = vector();
    for (let i = 0; i < 100_000; i++) index.add({ subjectId: `s${i}`, templateId: `t${i}`, embedding: i === 77_777 ? one : pool.subarray(i * 7, i * 7 + 1024), modelVersion: LIKENESS_MODEL_VERSION });
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      const m = index.match(near(one, 0.2))!;
      times.push(performance.now() - started);
      expect(m.subjectId).toBe('s77777');
    }
    times.sort((x, y) => x - y);
    process.stdout.write(`likeness index: 1 query × 100,000 templates, median ${times[4].toFixed(1)} ms\n`);
    // Regression bound only (plain JS scalar dot products; measured 140–170 ms on this loaded 2-core machine).
    expect(times[4]).toBeLessThan(2_000);
  }, 120_000);
});

describe('template codec', () => {
  it('round-trips float32 bytes with the model version, and refuses damaged bytes', () => {
    const embedding = vector();
    const bytes = encodeTemplate({ modelVersion: LIKENESS_MODEL_VERSION, embedding });
    expect(bytes.length).toBe(4 + 1 + 2 + LIKENESS_MODEL_VERSION.length + 4 + 1024 * 4);
    const back = decodeTemplate(bytes);
    expect(back.modelVersion).toBe(LIKENESS_MODEL_VERSION);
    expect(Array.from(back.embedding)).toEqual(Array.from(embedding));
    expect(() => decodeTemplate(bytes.subarray(0, bytes.length - 1))).toThrow(/not a face template/);
    expect(() => decodeTemplate(Buffer.from('nope'))).toThrow(/bad magic/);
    const nan = Buffer.from(bytes);
    nan.writeFloatLE(NaN, nan.length - 4);
    expect(() => decodeTemplate(nan)).toThrow(/not finite/);
  });
});
