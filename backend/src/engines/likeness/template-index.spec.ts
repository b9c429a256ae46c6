import { performance } from 'node:perf_hooks';
import { cosineDistance, decodeTemplate, DEFAULT_THRESHOLDS, encodeTemplate, type FaceMatch, LIKENESS_MODEL_VERSION, TemplateIndex, verdictFor } from '.';
import { createHammingScanner, hammingRadius, SignCoder } from './sign-codes';

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

  it('finds the one true template among 100,000 in under 10 ms on the fast path, brute force timed in the same run', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    expect(index.coarseKernel).toBe('wasm-simd');
    // Overlapping windows of one random buffer: 100,000 distinct vectors without 100 M random draws.
    const pool = Float32Array.from({ length: 100_000 * 7 + 1024 }, random);
    const one = vector();
    for (let i = 0; i < 100_000; i++) index.add({ subjectId: `s${i}`, templateId: `t${i}`, embedding: i === 77_777 ? one : pool.subarray(i * 7, i * 7 + 1024), modelVersion: LIKENESS_MODEL_VERSION });
    const fast: number[] = [];
    const brute: number[] = [];
    for (let i = 0; i < 15; i++) {
      const q = near(one, 0.2);
      let started = performance.now();
      const m = index.match(q)!;
      fast.push(performance.now() - started);
      started = performance.now();
      const e = index.matchExact(q)!;
      brute.push(performance.now() - started);
      expect(m.subjectId).toBe('s77777');
      expect(m).toEqual(e);
    }
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
    process.stdout.write(`likeness index: 1 query × 100,000 templates, median fast ${median(fast).toFixed(2)} ms, brute force ${median(brute).toFixed(1)} ms\n`);
    // Ratio in the same run (the machine is shared and noisy); the absolute goal is checked loosely.
    expect(median(fast)).toBeLessThan(median(brute) / 5);
    expect(median(fast)).toBeLessThan(30);
  }, 180_000);
});

/** A unit vector at exactly cosine distance `distance` from `base` (in a random direction). */
function atDistance(base: Float32Array, distance: number): Float32Array {
  const b = Float64Array.from(base);
  const nb = Math.hypot(...b);
  for (let i = 0; i < b.length; i++) b[i] /= nb;
  const u = Float64Array.from(base, () => random());
  let proj = 0;
  for (let i = 0; i < b.length; i++) proj += u[i] * b[i];
  for (let i = 0; i < b.length; i++) u[i] -= proj * b[i];
  const nu = Math.hypot(...u);
  const c = 1 - distance;
  const s = Math.sqrt(Math.max(0, 1 - c * c));
  return Float32Array.from(b, (v, i) => c * v + (s * u[i]) / nu);
}

/**
 * Fast path vs brute force on one index: identical match() whenever the true
 * best distance is ≤ differentThreshold; otherwise both `different`, and the
 * fast answer is a real template no closer than the true best. Returns counts.
 */
function compare(index: TemplateIndex, queries: Float32Array[]) {
  let within = 0;
  let beyond = 0;
  let beyondDiffers = 0;
  for (const q of queries) {
    const exact = index.matchExact(q)!;
    const fast = index.match(q)!;
    if (exact.distance <= exact.differentThreshold) {
      within++;
      expect(fast).toEqual(exact);
      // topSubjects: the part of the answer closer than differentThreshold is identical too.
      const inside = (ms: FaceMatch[]) => ms.filter((m) => m.distance < m.differentThreshold);
      expect(inside(index.topSubjects(q, 5))).toEqual(inside(index.topSubjectsExact(q, 5)));
    } else {
      beyond++;
      expect(fast.verdict).toBe('different');
      expect(fast.distance).toBeGreaterThanOrEqual(exact.distance);
      if (fast.templateId !== exact.templateId) beyondDiffers++;
    }
  }
  return { within, beyond, beyondDiffers };
}

describe('TemplateIndex fast path (sign-code Hamming pass + exact re-ranking) against brute force', () => {
  const add = (index: TemplateIndex, subjectId: string, templateId: string, embedding: Float32Array) => index.add({ subjectId, templateId, embedding, modelVersion: LIKENESS_MODEL_VERSION });

  it('the WebAssembly SIMD and JS Hamming kernels agree', () => {
    const coder = new SignCoder(1024);
    const wasm = createHammingScanner(coder.bytesPerCode);
    const js = createHammingScanner(coder.bytesPerCode, 'js');
    expect([wasm.kind, js.kind]).toEqual(['wasm-simd', 'js']);
    const n = 3_000;
    wasm.reserve(n);
    js.reserve(n);
    for (let i = 0; i < n; i++) {
      const v = vector();
      coder.encode(v, wasm.codes, i * coder.bytesPerCode);
      coder.encode(v, js.codes, i * coder.bytesPerCode);
    }
    const q = new Uint8Array(coder.bytesPerCode);
    coder.encode(vector(), q);
    expect(Array.from(wasm.scan(q, n).subarray(0, n))).toEqual(Array.from(js.scan(q, n).subarray(0, n)));
    // Identical vectors: distance 0; opposite vectors: every bit differs.
    const v = vector();
    const vc = new Uint8Array(coder.bytesPerCode);
    coder.encode(v, vc);
    coder.encode(v, wasm.codes, 0);
    coder.encode(Float32Array.from(v, (x) => -x), wasm.codes, coder.bytesPerCode);
    expect(Array.from(wasm.scan(vc, 2).subarray(0, 2))).toEqual([0, 1024]);
  });

  it('Hamming distances of pairs at differentThreshold follow Binomial(1024, θ/π) and stay within the radius (isotropic and offset data)', () => {
    const coder = new SignCoder(1024);
    const radius = hammingRadius(1024, DEFAULT_THRESHOLDS.differentThreshold, 1e-9);
    const p = Math.acos(1 - DEFAULT_THRESHOLDS.differentThreshold) / Math.PI;
    const offset = vector();
    const scanner = createHammingScanner(coder.bytesPerCode, 'js');
    const pairs = 4_000;
    scanner.reserve(pairs);
    const h: number[] = [];
    for (let i = 0; i < pairs; i++) {
      // Half isotropic, half sharing a large common component (embeddings are not zero-mean).
      const base = i % 2 ? vector() : Float32Array.from(offset, (o) => 2 * o + random());
      const a = new Uint8Array(coder.bytesPerCode);
      coder.encode(base, a);
      coder.encode(atDistance(base, DEFAULT_THRESHOLDS.differentThreshold), scanner.codes, 0);
      h.push(scanner.scan(a, 1)[0]);
    }
    const mean = h.reduce((s, v) => s + v, 0) / pairs;
    const sd = Math.sqrt(h.reduce((s, v) => s + (v - mean) ** 2, 0) / pairs);
    process.stdout.write(`sign codes at distance 0.53: mean ${mean.toFixed(1)} (model ${(1024 * p).toFixed(1)}), sd ${sd.toFixed(1)} (model ${Math.sqrt(1024 * p * (1 - p)).toFixed(1)}), max ${Math.max(...h)}, radius ${radius}\n`);
    expect(Math.abs(mean - 1024 * p)).toBeLessThan(3);
    expect(sd).toBeLessThan(Math.sqrt(1024 * p * (1 - p)) * 1.15);
    expect(Math.max(...h)).toBeLessThan(radius - 30);
  });

  it('random data: identical match() for every query whose true best is within differentThreshold', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    const templates: Float32Array[] = [];
    for (let i = 0; i < 10_000; i++) {
      templates.push(vector());
      add(index, `s${i % 5_000}`, `t${i}`, templates[i]);
    }
    const queries: Float32Array[] = [];
    for (let i = 0; i < 300; i++) {
      // Distances spread over 0.02–0.70 around a stored template, plus strangers.
      queries.push(i % 4 === 3 ? vector() : atDistance(templates[(i * 7919) % templates.length], 0.02 + ((i * 0.37) % 0.68)));
    }
    const r = compare(index, queries);
    process.stdout.write(`fast path, random data: ${r.within} queries within 0.53 identical; ${r.beyond} beyond, of which ${r.beyondDiffers} returned another (farther) template\n`);
    expect(r.within).toBeGreaterThan(150);
  }, 120_000);

  it('clustered data (several noisy templates per subject, look-alike families): identical within differentThreshold', () => {
    const index = new TemplateIndex(LIKENESS_MODEL_VERSION);
    const centres: Float32Array[] = [];
    let t = 0;
    for (let f = 0; f < 400; f++) {
      const family = Float32Array.from(vector(), (v) => v * 3); // a shared offset: all embeddings are far from zero-mean
      for (let member = 0; member < 5; member++) {
        const centre = atDistance(family, 0.25 + 0.05 * member); // relatives: 0.4–0.7 apart
        centres.push(centre);
        for (let j = 0; j < 4; j++) add(index, `f${f}m${member}`, `t${t++}`, atDistance(centre, 0.08 + 0.08 * j));
      }
    }
    expect(index.size).toBe(8_000);
    const queries: Float32Array[] = [];
    for (let i = 0; i < 300; i++) {
      const centre = centres[(i * 104_729) % centres.length];
      queries.push(i % 5 === 4 ? vector() : atDistance(centre, 0.05 + ((i * 0.13) % 0.55)));
    }
    const r = compare(index, queries);
    process.stdout.write(`fast path, clustered data: ${r.within} queries within 0.53 identical; ${r.beyond} beyond, of which ${r.beyondDiffers} returned another (farther) template\n`);
    expect(r.within).toBeGreaterThan(150);
  }, 120_000);

  it('stays exact through adds, replacements, removals and removeSubject (codes move with their rows), and on the JS kernel', () => {
    for (const hammingKernel of ['auto', 'js'] as const) {
      const index = new TemplateIndex(LIKENESS_MODEL_VERSION, 1024, DEFAULT_THRESHOLDS, { hammingKernel, fastPathMinSize: 256 });
      const live = new Map<string, Float32Array>();
      for (let i = 0; i < 3_000; i++) {
        const v = vector();
        live.set(`t${i}`, v);
        add(index, `s${i % 1_000}`, `t${i}`, v);
      }
      for (let i = 0; i < 3_000; i += 3) {
        index.remove(`t${i}`);
        live.delete(`t${i}`);
      }
      for (let s = 0; s < 1_000; s += 10) {
        index.removeSubject(`s${s}`);
        for (let i = s; i < 3_000; i += 1_000) live.delete(`t${i}`);
      }
      for (let i = 1; i < 3_000; i += 50) {
        if (!live.has(`t${i}`)) continue;
        const v = vector();
        live.set(`t${i}`, v);
        add(index, `s${i % 1_000}`, `t${i}`, v);
      }
      expect(index.size).toBe(live.size);
      const kept = [...live.values()];
      const queries = Array.from({ length: 120 }, (_, i) => (i % 2 ? atDistance(kept[(i * 31) % kept.length], 0.1 + (i % 9) * 0.05) : vector()));
      const r = compare(index, queries);
      expect(r.within).toBeGreaterThan(40);
    }
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
