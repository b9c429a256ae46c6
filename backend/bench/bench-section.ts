/**
 * Contract for one benchmark script. `npm run bench` runs every section in
 * turn (see run-all.ts) and writes reports/bench.json and reports/bench.md.
 * Each section measures its own baseline in the same run, since these
 * machines are noisy: report ratios, not bare seconds.
 */
export interface BenchSection {
  /** Short title, used as the markdown heading and the JSON key. */
  title: string;
  /** Machine-readable figures. */
  json: Record<string, unknown>;
  /** Human-readable table(s) for the report. */
  markdown: string;
}

export interface BenchContext {
  /** Scratch directory, removed after the run. */
  workDir: string;
  /** Quick mode (BENCH_QUICK=1): smaller inputs, for smoke-testing the bench itself. */
  quick: boolean;
}

export type BenchRunner = (ctx: BenchContext) => Promise<BenchSection>;

export function percentile(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return NaN;
  const rank = Math.min(sortedAscending.length - 1, Math.ceil((p / 100) * sortedAscending.length) - 1);
  return sortedAscending[Math.max(0, rank)];
}
