import type { Command } from 'commander';
import { resolveFfmpegBinaries } from '../../engines/media';
import {
  WatermarkDetector,
  WatermarkEmbedder,
  WatermarkInputError,
  WatermarkKey,
  parsePayloadHex,
  type EmbedResult,
} from '../../engines/watermark';
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { developmentWatermarkKeyPath } from '../../modules/provenance/watermark-key-source';
import { CliError, EXIT, markNegativeVerdict, output } from '../cli-context';

/**
 * `provenant watermark embed --in IN --out OUT --payload HEX [--visible TEXT] [--key-file F]`
 * `provenant watermark detect --in FILE [--json] [--key-file F]`
 * The key is 32 bytes of hex, found as the server finds it: --key-file, else
 * PROVENANT_WATERMARK_KEY, else WATERMARK_KEY_FILE, else the development key
 * under DATA_DIR (default .provenant); the answer says which was used.
 */

const TIMEOUT_MS = 30 * 60 * 1000;

export interface EmbedFlags {
  in: string;
  out: string;
  payload: string;
  visible?: string;
  keyFile?: string;
  json?: boolean;
}

export interface DetectFlags {
  in: string;
  keyFile?: string;
  json?: boolean;
}

/** The JSON answer of `detect`. */
export interface DetectOutput {
  found: boolean;
  payload: string | null;
  /** How sure the decoder is of the payload; null when no mark was found (nothing to be sure of). */
  confidence: number | null;
  bitAccuracy: number | null;
  framesAnalysed: number;
  reason: string | null;
  /** Which key was used, e.g. `PROVENANT_WATERMARK_KEY` or `key file /…/watermark-key.dev.hex`. */
  key: string;
}

/** The key as the server would find it, and where it came from. */
async function loadKey(keyFile: string | undefined, env: NodeJS.ProcessEnv): Promise<{ key: WatermarkKey; source: string }> {
  const file = keyFile ?? (env.PROVENANT_WATERMARK_KEY ? undefined : (env.WATERMARK_KEY_FILE ?? developmentKeyFile(env)));
  const key = await WatermarkKey.load({ keyFile: file, env });
  return { key, source: file ? `key file ${file}` : 'PROVENANT_WATERMARK_KEY' };
}

function developmentKeyFile(env: NodeJS.ProcessEnv): string | undefined {
  const file = developmentWatermarkKeyPath({ dataDir: resolve(env.DATA_DIR ?? '.provenant') });
  return existsSync(file) ? file : undefined;
}

export async function runWatermarkEmbed(flags: EmbedFlags, env: NodeJS.ProcessEnv = process.env): Promise<EmbedResult> {
  return asCliErrors(async () => {
    const payload = parsePayloadHex(flags.payload);
    const { key } = await loadKey(flags.keyFile, env);
    // An --out in a missing or read-only directory is the caller's to fix (exit 2, the file named).
    await access(dirname(resolve(flags.out)), constants.W_OK).catch((e: NodeJS.ErrnoException) => Promise.reject(new CliError(`cannot write ${flags.out}: ${e.code ?? e.message}`, EXIT.usage)));
    const embedder = new WatermarkEmbedder(resolveFfmpegBinaries(env), { timeoutMs: TIMEOUT_MS });
    return embedder.embed({ input: flags.in, output: flags.out, payload, key, visible: flags.visible ? { text: flags.visible } : null });
  });
}

export async function runWatermarkDetect(flags: DetectFlags, env: NodeJS.ProcessEnv = process.env): Promise<DetectOutput> {
  return asCliErrors(async () => {
    const { key, source } = await loadKey(flags.keyFile, env);
    const detector = new WatermarkDetector(resolveFfmpegBinaries(env), { timeoutMs: TIMEOUT_MS });
    const d = await detector.detect({ input: flags.in, key });
    return { found: d.found, payload: d.payload, confidence: d.found ? d.confidence : null, bitAccuracy: d.bitAccuracy, framesAnalysed: d.framesAnalysed, reason: d.reason, key: source };
  });
}

/** Bad input is a usage problem (exit 2) named by its code; tool failures are exit 3. */
async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof WatermarkInputError) throw new CliError(`${err.code}: ${err.message}`, EXIT.usage);
    throw err;
  }
}

export function registerWatermarkCommands(program: Command): void {
  const watermark = program.command('watermark').description('embed or read the invisible watermark (and the visible label)');
  watermark
    .command('embed')
    .description('render a watermarked copy of a clip')
    .requiredOption('--in <file>', 'input video')
    .requiredOption('--out <file>', 'output video (MP4)')
    .requiredOption('--payload <hex>', '8-byte payload as 16 hex digits')
    .option('--visible <text>', 'also draw this moving visible label')
    .option('--key-file <file>', 'file holding the 32-byte key as hex (default: env PROVENANT_WATERMARK_KEY)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (_opts: EmbedFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as EmbedFlags;
      const result = await runWatermarkEmbed(flags);
      output(flags.json, result, () => `wrote ${result.output}: ${result.width}x${result.height}, ${result.frames} frames${result.visibleLabel ? ', visible label' : ''}${result.audioCopied ? ', audio copied' : ''} in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    });
  watermark
    .command('detect')
    .description('look for the watermark in a video or still image')
    .requiredOption('--in <file>', 'video or image to examine')
    .option('--key-file <file>', 'file holding the 32-byte key as hex (default: env PROVENANT_WATERMARK_KEY)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (_opts: DetectFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as DetectFlags;
      const result = await runWatermarkDetect(flags);
      output(flags.json, result, () =>
        result.found
          ? `watermark found: payload ${result.payload} (confidence ${result.confidence!.toFixed(6)}, bit accuracy ${(result.bitAccuracy! * 100).toFixed(1)}%; ${result.key})`
          : `no watermark found${result.reason ? `: ${result.reason}` : ''} (looked with ${result.key})`,
      );
      if (!result.found) markNegativeVerdict();
    });
}
