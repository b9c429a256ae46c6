import { normalise } from './embedding-math';
import { createHammingScanner, type HammingScanner, hammingRadius, SignCoder } from './sign-codes';
import { assertThresholds, DEFAULT_THRESHOLDS, type LikenessThresholds, type LikenessVerdict, verdictFor } from './thresholds';

export interface FaceTemplate {
  subjectId: string;
  templateId: string;
  embedding: Float32Array;
  modelVersion: string;
}

export interface FaceMatch {
  subjectId: string;
  templateId: string;
  /** Cosine distance, 0 (same direction) to 2. */
  distance: number;
  verdict: LikenessVerdict;
  matchThreshold: number;
  differentThreshold: number;
  modelVersion: string;
}

/** Tuning of the coarse pass; defaults are what the README's figures were measured with. */
export interface TemplateIndexOptions {
  /** Below this many templates every query is a plain exact scan (faster there). Default 256. */
  fastPathMinSize?: number;
  /** Candidates taken by Hamming rank (besides those within the radius). Default 128. */
  shortlist?: number;
  /**
   * Modelled probability that a template at exactly `differentThreshold` from the query falls
   * outside the Hamming radius (closer templates: smaller). Default 1e-9.
   */
  missProbability?: number;
  /** 'js' forces the plain-JS Hamming scan (tests). Default 'auto' (WebAssembly SIMD if supported). */
  hammingKernel?: 'auto' | 'js';
}

const DEFAULT_OPTIONS: Required<TemplateIndexOptions> = { fastPathMinSize: 256, shortlist: 128, missProbability: 1e-9, hammingKernel: 'auto' };
/** topSubjects with more subjects than this is always exact. */
const FAST_PATH_MAX_K = 16;

/**
 * Active templates in memory as one flat row-major Float32Array of
 * normalised vectors (cosine distance = 1 − dot), plus a 1024-bit sign code
 * per template (sign-codes.ts). Templates of another model version than the
 * index's are refused (their distances mean nothing here). Adding and
 * removing touch only the affected rows; capacity doubles as needed.
 *
 * Queries on indexes of at least `fastPathMinSize` templates: one Hamming
 * scan over the codes (WebAssembly SIMD), then exact float dot products —
 * the same arithmetic as the brute-force path — on the candidates: every
 * template whose Hamming distance is within the radius derived from
 * `differentThreshold`, plus the `shortlist` nearest by Hamming. See README
 * "Matching: what the fast path guarantees".
 */
export class TemplateIndex {
  private matrix: Float32Array;
  private ids: Array<{ subjectId: string; templateId: string }> = [];
  private readonly rowOf = new Map<string, number>();
  private readonly thresholds: LikenessThresholds;
  private readonly options: Required<TemplateIndexOptions>;
  private readonly coder: SignCoder;
  private readonly scanner: HammingScanner;
  private readonly queryCode: Uint8Array;
  /** Hamming radius for a pair at differentThreshold (see hammingRadius). */
  readonly hammingRadius: number;
  private histogram: Int32Array;
  private candidates = new Int32Array(256);

  constructor(
    readonly modelVersion: string,
    readonly dimension = 1024,
    thresholds: LikenessThresholds = DEFAULT_THRESHOLDS,
    options: TemplateIndexOptions = {},
  ) {
    if (!Number.isInteger(dimension) || dimension <= 0 || dimension % 4 !== 0) throw new RangeError(`dimension must be a positive multiple of 4, got ${dimension}`);
    assertThresholds(thresholds);
    this.thresholds = { ...thresholds };
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.matrix = new Float32Array(dimension * 64);
    this.coder = new SignCoder(dimension);
    this.scanner = createHammingScanner(this.coder.bytesPerCode, this.options.hammingKernel);
    this.queryCode = new Uint8Array(this.coder.bytesPerCode);
    this.hammingRadius = hammingRadius(this.coder.bits, this.thresholds.differentThreshold, this.options.missProbability);
    this.histogram = new Int32Array(this.coder.bits + 1);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Which Hamming kernel the coarse pass runs on. */
  get coarseKernel(): 'wasm-simd' | 'js' {
    return this.scanner.kind;
  }

  /** Adds or replaces (same templateId) a template. */
  add(template: FaceTemplate): void {
    if (template.modelVersion !== this.modelVersion) {
      throw new Error(`template ${template.templateId} is of model ${template.modelVersion}, the index holds ${this.modelVersion}`);
    }
    if (template.embedding.length !== this.dimension) {
      throw new RangeError(`template ${template.templateId} has ${template.embedding.length} values, expected ${this.dimension}`);
    }
    const vector = normalise(Float32Array.from(template.embedding));
    let row = this.rowOf.get(template.templateId);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimension > this.matrix.length) {
        const grown = new Float32Array(this.matrix.length * 2);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.scanner.reserve(row + 1);
      this.ids.push({ subjectId: template.subjectId, templateId: template.templateId });
      this.rowOf.set(template.templateId, row);
    } else {
      this.ids[row] = { subjectId: template.subjectId, templateId: template.templateId };
    }
    this.matrix.set(vector, row * this.dimension);
    this.coder.encode(vector, this.scanner.codes, row * this.coder.bytesPerCode);
  }

  /** Removes a template (the last row moves into its place). */
  remove(templateId: string): boolean {
    const row = this.rowOf.get(templateId);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      this.matrix.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
      const b = this.coder.bytesPerCode;
      this.scanner.codes.copyWithin(row * b, last * b, (last + 1) * b);
      this.ids[row] = this.ids[last];
      this.rowOf.set(this.ids[row].templateId, row);
    }
    this.ids.pop();
    this.rowOf.delete(templateId);
    return true;
  }

  /** Removes every template of a subject; returns how many. */
  removeSubject(subjectId: string): number {
    const templateIds = this.ids.filter((r) => r.subjectId === subjectId).map((r) => r.templateId);
    for (const id of templateIds) this.remove(id);
    return templateIds.length;
  }

  /** The nearest template, with its verdict band; null when the index is empty. */
  match(query: Float32Array, modelVersion: string = this.modelVersion): FaceMatch | null {
    return this.topSubjects(query, 1, modelVersion)[0] ?? null;
  }

  /** The nearest template of each of the `k` nearest subjects, nearest first. */
  topSubjects(query: Float32Array, k: number, modelVersion: string = this.modelVersion): FaceMatch[] {
    const q = this.checkQuery(query, modelVersion);
    const n = this.ids.length;
    if (n < this.options.fastPathMinSize || k > FAST_PATH_MAX_K) return this.select(q, k, null, n);
    this.coder.encode(q, this.queryCode);
    const hamming = this.scanner.scan(this.queryCode, n);
    // Hamming cut-off for the shortlist: the smallest c with at least `want` codes at ≤ c.
    const histogram = this.histogram;
    histogram.fill(0);
    for (let row = 0; row < n; row++) histogram[hamming[row]]++;
    const want = Math.min(n, Math.max(this.options.shortlist, 8 * k));
    let cutoff = 0;
    for (let seen = histogram[0]; seen < want; ) seen += histogram[++cutoff];
    const limit = Math.max(cutoff, this.hammingRadius);
    let count = 0;
    for (let row = 0; row < n; row++) {
      if (hamming[row] > limit) continue;
      if (count === this.candidates.length) {
        const grown = new Int32Array(this.candidates.length * 2);
        grown.set(this.candidates);
        this.candidates = grown;
      }
      this.candidates[count++] = row;
    }
    return this.select(q, k, this.candidates, count);
  }

  /** match() by brute force over every template: the reference the fast path is tested against. */
  matchExact(query: Float32Array, modelVersion: string = this.modelVersion): FaceMatch | null {
    return this.topSubjectsExact(query, 1, modelVersion)[0] ?? null;
  }

  /** topSubjects() by brute force over every template. */
  topSubjectsExact(query: Float32Array, k: number, modelVersion: string = this.modelVersion): FaceMatch[] {
    return this.select(this.checkQuery(query, modelVersion), k, null, this.ids.length);
  }

  private checkQuery(query: Float32Array, modelVersion: string): Float32Array {
    if (modelVersion !== this.modelVersion) throw new Error(`query embedding is of model ${modelVersion}, the index holds ${this.modelVersion}`);
    if (query.length !== this.dimension) throw new RangeError(`query has ${query.length} values, expected ${this.dimension}`);
    return normalise(Float32Array.from(query));
  }

  /**
   * Exact selection over rows `rows[0..count)` (ascending), or over all rows
   * 0..count when `rows` is null. Both paths go through here, so a template's
   * dot product is computed by the same arithmetic whichever path finds it.
   */
  private select(q: Float32Array, k: number, rows: Int32Array | null, count: number): FaceMatch[] {
    const d = this.dimension;
    const m = this.matrix;
    const bestBySubject = new Map<string, { row: number; dot: number }>();
    // Keep the k best subjects: for k = 1 this is one running maximum.
    let floor = -Infinity;
    for (let i = 0; i < count; i++) {
      const row = rows === null ? i : rows[i];
      let dot = 0;
      const base = row * d;
      for (let j = 0; j < d; j += 4) {
        dot += q[j] * m[base + j] + q[j + 1] * m[base + j + 1] + q[j + 2] * m[base + j + 2] + q[j + 3] * m[base + j + 3];
      }
      if (dot <= floor) continue;
      const subjectId = this.ids[row].subjectId;
      const prior = bestBySubject.get(subjectId);
      if (prior && prior.dot >= dot) continue;
      bestBySubject.set(subjectId, { row, dot });
      if (bestBySubject.size > k) {
        let worst: string | null = null;
        let worstDot = Infinity;
        for (const [s, v] of bestBySubject) if (v.dot < worstDot) [worst, worstDot] = [s, v.dot];
        bestBySubject.delete(worst!);
      }
      if (bestBySubject.size === k) floor = Math.min(...[...bestBySubject.values()].map((v) => v.dot));
    }
    return [...bestBySubject.values()]
      .sort((a, b) => b.dot - a.dot)
      .map(({ row, dot }) => {
        const distance = Math.max(0, 1 - dot);
        return {
          ...this.ids[row],
          distance,
          verdict: verdictFor(distance, this.thresholds),
          matchThreshold: this.thresholds.matchThreshold,
          differentThreshold: this.thresholds.differentThreshold,
          modelVersion: this.modelVersion,
        };
      });
  }
}
