import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchRunner, BenchSection } from './bench-section';

/**
 * `npm run bench`: runs every benchmark section in turn and writes
 * reports/bench.json and reports/bench.md at the repository root.
 * BENCH_ONLY=name,name runs a subset; BENCH_QUICK=1 shrinks inputs.
 */
const SECTIONS: Record<string, () => Promise<{ run: BenchRunner }>> = {
  pipeline: () => import('./pipeline.bench'),
  'audit-log': () => import('./audit-log.bench'),
  'merkle-log': () => import('./merkle-log.bench'),
  review: () => import('./review.bench'),
  moderation: () => import('./moderation.bench'),
  watermark: () => import('./watermark.bench'),
  c2pa: () => import('./c2pa.bench'),
  'verify-api': () => import('./verify-api.bench'),
  gazetteer: () => import('./gazetteer.bench'),
  likeness: () => import('./likeness.bench'),
};

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const quick = process.env.BENCH_QUICK === '1';
  const results: BenchSection[] = [];
  for (const [name, load] of Object.entries(SECTIONS)) {
    if (only && !only.includes(name)) continue;
    const workDir = await mkdtemp(join(tmpdir(), `bench-${name}-`));
    process.stdout.write(`bench: ${name}…\n`);
    try {
      const section = await (await load()).run({ workDir, quick });
      results.push(section);
      process.stdout.write(`${section.markdown}\n\n`);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  const reports = resolve(__dirname, '../../../reports');
  await mkdir(reports, { recursive: true });
  const meta = { at: new Date().toISOString(), node: process.version, cpus: require('node:os').cpus().length, quick };
  await writeFile(join(reports, 'bench.json'), JSON.stringify({ meta, sections: Object.fromEntries(results.map((r) => [r.title, r.json])) }, null, 2));
  await writeFile(join(reports, 'bench.md'), [`# Provenant benchmarks`, '', `${meta.at}, Node ${meta.node}, ${meta.cpus} CPUs${quick ? ', quick mode' : ''}`, '', ...results.map((r) => `## ${r.title}\n\n${r.markdown}\n`)].join('\n'));
  process.stdout.write(`wrote ${join(reports, 'bench.json')} and bench.md\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
