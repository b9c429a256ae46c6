/**
 * Cosine distance bands (distance = 1 − cosine similarity of L2-normalised
 * embeddings): `same` at or below matchThreshold, `different` at or above
 * differentThreshold, `review` in between. Chosen on the tuning split of the
 * calibration set (README.md, "Calibration"), for LIKENESS_MODEL_VERSION only.
 */
export interface LikenessThresholds {
  matchThreshold: number;
  differentThreshold: number;
}

export type LikenessVerdict = 'same' | 'review' | 'different';

export const DEFAULT_THRESHOLDS: Readonly<LikenessThresholds> = Object.freeze({ matchThreshold: 0.43, differentThreshold: 0.53 });

export function assertThresholds(t: LikenessThresholds): void {
  const ok = (v: number) => Number.isFinite(v) && v >= 0 && v <= 2;
  if (!ok(t.matchThreshold) || !ok(t.differentThreshold) || t.matchThreshold > t.differentThreshold) {
    throw new RangeError(`thresholds must satisfy 0 ≤ matchThreshold ≤ differentThreshold ≤ 2, got ${t.matchThreshold} and ${t.differentThreshold}`);
  }
}

export function verdictFor(distance: number, t: LikenessThresholds): LikenessVerdict {
  if (distance <= t.matchThreshold) return 'same';
  if (distance >= t.differentThreshold) return 'different';
  return 'review';
}
