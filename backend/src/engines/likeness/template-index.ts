import { normalise } from './embedding-math';
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

/**
 * Active templates in memory as one flat row-major Float32Array of
 * normalised vectors: a query is one pass of dot products (cosine distance =
 * 1 − dot). Templates of another model version than the index's are refused
 * (their distances mean nothing here). Adding and removing rebuild nothing
 * but the affected rows; capacity doubles as needed.
 */
export class TemplateIndex {
  private matrix: Float32Array;
  private ids: Array<{ subjectId: string; templateId: string }> = [];
  private readonly rowOf = new Map<string, number>();
  private readonly thresholds: LikenessThresholds;

  constructor(
    readonly modelVersion: string,
    readonly dimension = 1024,
    thresholds: LikenessThresholds = DEFAULT_THRESHOLDS,
  ) {
    if (!Number.isInteger(dimension) || dimension <= 0 || dimension % 4 !== 0) throw new RangeError(`dimension must be a positive multiple of 4, got ${dimension}`);
    assertThresholds(thresholds);
    this.thresholds = { ...thresholds };
    this.matrix = new Float32Array(dimension * 64);
  }

  get size(): number {
    return this.ids.length;
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
      this.ids.push({ subjectId: template.subjectId, templateId: template.templateId });
      this.rowOf.set(template.templateId, row);
    } else {
      this.ids[row] = { subjectId: template.subjectId, templateId: template.templateId };
    }
    this.matrix.set(vector, row * this.dimension);
  }

  /** Removes a template (the last row moves into its place). */
  remove(templateId: string): boolean {
    const row = this.rowOf.get(templateId);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      this.matrix.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
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
    if (modelVersion !== this.modelVersion) throw new Error(`query embedding is of model ${modelVersion}, the index holds ${this.modelVersion}`);
    if (query.length !== this.dimension) throw new RangeError(`query has ${query.length} values, expected ${this.dimension}`);
    const q = normalise(Float32Array.from(query));
    const d = this.dimension;
    const m = this.matrix;
    const n = this.ids.length;
    const bestBySubject = new Map<string, { row: number; dot: number }>();
    // Keep the k best subjects: for k = 1 this is one running maximum.
    let floor = -Infinity;
    for (let row = 0; row < n; row++) {
      let dot = 0;
      const base = row * d;
      for (let i = 0; i < d; i += 4) {
        dot += q[i] * m[base + i] + q[i + 1] * m[base + i + 1] + q[i + 2] * m[base + i + 2] + q[i + 3] * m[base + i + 3];
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
