import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  createModerationEngine,
  loadModerationConfig,
  MODERATION_CATEGORIES,
  ModerationConfigError,
  ModerationEngine,
  ModerationEvidence,
  ModerationInputError,
  ModerationReport,
  PolicyValidationError,
} from '../../engines/moderation';
import { CliError, EXIT, markNegativeVerdict, output, unreadable } from '../cli-context';

/**
 * `provenant moderate --text "…" | --image FILE | --video FILE [--json]`:
 * runs the moderation check locally with the configured provider
 * (MODERATION_PROVIDER and friends, see moderation-config.ts) and prints
 * the report. A block is a result, not an error: the exit code is 0.
 */

export interface ModerateInput {
  text?: string;
  image?: string;
  video?: string;
  /** Keep sampled frames (the evidence thumbnails) here; otherwise they are deleted after printing. */
  framesDir?: string;
}

/** Runs one moderation with `engine` and closes it. Input problems become usage errors (exit 2). */
export async function runModerate(input: ModerateInput, engine: ModerationEngine): Promise<ModerationReport> {
  const given = [input.text, input.image, input.video].filter((v) => v !== undefined).length;
  if (given !== 1) {
    await engine.close();
    throw new CliError('give exactly one of --text, --image or --video', EXIT.usage);
  }
  const scratch = input.video !== undefined && !input.framesDir ? await mkdtemp(join(tmpdir(), 'provenant-moderate-')) : null;
  try {
    if (input.text !== undefined) return await engine.moderateText(input.text);
    if (input.image !== undefined) return await engine.moderateImage(input.image);
    // A missing or unreadable video is the caller's to fix (exit 2, the file named), not a failure of the check.
    await stat(input.video!).catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(input.video!, e)));
    return await engine.moderateVideo(input.video!, { workDir: input.framesDir ?? scratch! });
  } catch (err) {
    if (err instanceof ModerationInputError) throw new CliError(`${err.code}: ${err.message}`, EXIT.usage);
    throw err;
  } finally {
    await engine.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

export function renderModerationReport(report: ModerationReport): string {
  const lines = [`verdict: ${report.verdict.toUpperCase()} (policy ${report.policyVersion}, provider ${report.provider})`];
  const scored = MODERATION_CATEGORIES.filter((c) => report.categories[c].score > 0 || report.categories[c].verdict !== 'allow');
  for (const c of scored) {
    const { score, verdict, threshold, assessedBy } = report.categories[c];
    const block = threshold.block === null ? 'never blocks' : `block >= ${threshold.block}`;
    lines.push(`  ${c.padEnd(24)} ${score.toFixed(3)}  ${verdict.padEnd(6)}  (review >= ${threshold.review}, ${block}; ${assessedBy.join(', ')})`);
  }
  if (scored.length === 0) lines.push('  no category scored above zero');
  const notAssessed = MODERATION_CATEGORIES.filter((c) => report.categories[c].assessedBy.length === 0);
  if (notAssessed.length > 0) lines.push(`  not assessed: ${notAssessed.join(', ')}`);
  if (report.evidence.length > 0) lines.push('evidence:', ...report.evidence.map((e) => `  - ${describeEvidence(e)}`));
  if (report.speech.status !== 'not applicable') {
    lines.push(`speech: ${report.speech.status}${report.speech.status === 'not checked' ? ` (${report.speech.reason})` : ''}`);
  }
  return lines.join('\n');
}

function describeEvidence(e: ModerationEvidence): string {
  switch (e.kind) {
    case 'text_match': {
      const at = e.frameTimestampSeconds !== undefined ? ` at ${e.frameTimestampSeconds}s` : '';
      const relation = e.relation ? `; relation: ${e.relation.mood} ${e.relation.act} → ${e.relation.target} (${e.relation.targetKind})` : '';
      return `${e.source}${at}: "${e.original}" read as "${e.normalised}" matched ${e.ruleId} (${e.category} ${e.score})${relation}`;
    }
    case 'provider_score':
      return `${e.source}: ${e.provider} scored ${e.category} ${e.score.toFixed(3)}`;
    case 'frames': {
      const worst = e.worstFrames.map((f) => `${f.timestampSeconds}s=${f.score.toFixed(2)} ${f.thumbnailPath}`).join('; ');
      return `${e.source} ${e.category}: max ${e.maxScore.toFixed(3)}, ${e.longestRunOverBlock} consecutive of ${e.framesSampled} over block${e.note ? ` (${e.note})` : ''}; worst: ${worst}`;
    }
    case 'unassessed_text':
      return `${e.source}: ${e.note}`;
    case 'provider_fallback':
      return `provider ${e.from} failed (${e.reason}); scored by ${e.to} as the policy allows`;
  }
}

interface ModerateFlags {
  text?: string;
  image?: string;
  video?: string;
  framesDir?: string;
  json?: boolean;
}

export function registerModerateCommands(program: Command): void {
  program
    .command('moderate')
    .description('run the moderation check on a prompt, an image or a video with the configured provider')
    .option('--text <text>', 'a prompt')
    .option('--image <file>', 'a PNG, JPEG or WebP image')
    .option('--video <file>', 'an MP4 or MOV clip')
    .option('--frames-dir <dir>', 'video: keep the sampled frames (evidence thumbnails) in this directory')
    .option('--json', 'print one JSON object on stdout')
    .action(async (_opts: ModerateFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as ModerateFlags;
      let engine: ModerationEngine;
      try {
        engine = createModerationEngine(loadModerationConfig());
      } catch (err) {
        if (err instanceof ModerationConfigError || err instanceof PolicyValidationError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      const report = await runModerate(flags, engine);
      output(flags.json, report, () => renderModerationReport(report));
      if (report.verdict === 'block') markNegativeVerdict();
    });
}
