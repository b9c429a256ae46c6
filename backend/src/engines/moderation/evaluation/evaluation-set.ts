import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { MODERATION_CATEGORIES } from '../categories';
import { acceptableNeighbours } from './acceptable-neighbours';
import { EVALUATION_SPLITS, EvaluationPrompt, EvaluationSplit } from './evaluation-prompt';

/** The labelled prompts of the text evaluation set, and the version the bench reports them under. */
export interface EvaluationSet {
  version: string;
  prompts: EvaluationPrompt[];
}

/** One line of a split's JSONL file: a prompt minus its split (the file names it) and its neighbours (derived from the labels). */
const lineSchema = z.strictObject({
  id: z.string().min(1),
  kind: z.enum(['harmful', 'evasion', 'benign']),
  text: z.string().min(1),
  labels: z.array(z.enum(MODERATION_CATEGORIES)),
  variantOf: z.string().optional(),
  technique: z.string().optional(),
  topic: z.string().optional(),
});

/**
 * Reads the set from backend/fixtures/moderation-evaluation (see its README):
 * one JSONL file per split, in split order, each prompt given the acceptable
 * neighbours of its labels.
 */
export function loadEvaluationSet(): EvaluationSet {
  const dir = join(backendRoot(), 'fixtures', 'moderation-evaluation');
  return {
    version: readFileSync(join(dir, 'version.txt'), 'utf8').trim(),
    prompts: EVALUATION_SPLITS.flatMap((split) => readSplit(join(dir, `${split}.jsonl`), split)),
  };
}

function readSplit(file: string, split: EvaluationSplit): EvaluationPrompt[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    const row = parseLine(line, `${file}:${i + 1}`);
    const alsoAcceptable = acceptableNeighbours(row.labels);
    return [{ ...row, split, ...(alsoAcceptable.length > 0 ? { alsoAcceptable } : {}) }];
  });
}

function parseLine(line: string, where: string): z.infer<typeof lineSchema> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The backend package directory, found from src/ under Jest and from dist/src/ when built. */
function backendRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === '@provenant/backend') {
      return dir;
    }
  }
  throw new Error(`backend/package.json not found above ${__dirname}`);
}
