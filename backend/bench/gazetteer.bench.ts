import { Gazetteer, type GazetteerEntry } from '../src/engines/gazetteer';
import { normaliseText } from '../src/engines/moderation/text/text-normaliser';
import { percentile, type BenchRunner } from './bench-section';

const PROMPT =
  'A cinematic handheld shot of Qzrt Vwxl walking through a rainy neon city at night, reflections on wet asphalt, ' +
  'then a close-up as she turns to the camera and smiles; 35mm film grain, shallow depth of field, synchronized rain sounds.';

/**
 * The names matcher the likeness and copyright checks share: time to build a
 * registry of N two-word names, and to search a 240-character prompt in it,
 * beside the moderation normaliser alone on the same prompt (which the
 * matcher runs first): the ratio is what the registry lookups add.
 */
export const run: BenchRunner = async ({ quick }) => {
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const queries = quick ? 200 : 2_000;
  const normaliseMs = timeEach(queries, () => normaliseText(PROMPT));
  const rows = sizes.map((size) => {
    const entries = registry(size);
    const started = performance.now();
    const gazetteer = new Gazetteer(entries);
    const buildMs = performance.now() - started;
    if (gazetteer.find(PROMPT).length !== 1) throw new Error('the bench prompt should name exactly one registered person');
    const findMs = timeEach(queries, () => gazetteer.find(PROMPT));
    return { size, buildMs, findP50Ms: percentile(findMs, 50), findP99Ms: percentile(findMs, 99) };
  });
  const baseline = percentile(normaliseMs, 50);
  return {
    title: 'gazetteer',
    json: { promptChars: PROMPT.length, normaliseP50Ms: baseline, registries: rows.map((r) => ({ ...r, findOverNormalise: r.findP50Ms / baseline })) },
    markdown: [
      `Prompt of ${PROMPT.length} characters; baseline: the moderation normaliser alone, p50 ${baseline.toFixed(3)} ms.`,
      '',
      '| Names | Build | Search p50 | Search p99 | Search ÷ normaliser |',
      '| ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.size.toLocaleString('en')} | ${(r.buildMs / 1000).toFixed(2)} s | ${r.findP50Ms.toFixed(3)} ms | ${r.findP99Ms.toFixed(3)} ms | ${(r.findP50Ms / baseline).toFixed(2)}× |`),
    ].join('\n'),
  };
};

/** Two-word names of letters only (digits inside a word read as leetspeak), plus the one the prompt names. */
function registry(size: number): GazetteerEntry[] {
  const word = (i: number) => i.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]);
  const entries = Array.from({ length: size - 1 }, (_, i) => ({ id: `s${i}`, phrase: `Ab${word(i)} Cd${word(i)}` }));
  return [...entries, { id: 'named', phrase: 'Qzrt Vwxl' }];
}

function timeEach(n: number, fn: () => unknown): number[] {
  for (let i = 0; i < 50; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}
