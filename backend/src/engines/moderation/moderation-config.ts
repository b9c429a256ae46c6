import { readFileSync } from 'node:fs';
import { FfmpegBinaries, resolveFfmpegBinaries } from '../media';
import { FrameTextReader } from './image/frame-text-reader';
import { NSFW_INPUT_SIZE, NsfwImageClassifier } from './image/nsfw-image-classifier';
import { RgbFrameDecoder } from './image/rgb-frame-decoder';
import { ModerationEngine, ModerationEngineOptions } from './moderation-engine';
import { parseModerationPolicy } from './policy/parse-moderation-policy';
import { DEFAULT_MODERATION_POLICY, ModerationPolicy } from './policy/moderation-policy';
import { LocalModerationProvider } from './providers/local-moderation-provider';
import { OpenAIModerationConfig, OpenAIModerationProvider } from './providers/openai-moderation-provider';
import { LocalTextClassifier } from './text/local-text-classifier';

export interface ModerationConfig {
  provider: 'local' | 'openai';
  openai?: OpenAIModerationConfig;
  policy: ModerationPolicy;
  nsfwWorkers: number;
}

/** A configuration variable is missing or wrong; the message names it. */
export class ModerationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModerationConfigError';
  }
}

/**
 * Reads the moderation configuration from the environment:
 *   MODERATION_PROVIDER          local (default) | openai
 *   OPENAI_API_KEY               required for openai
 *   OPENAI_BASE_URL              optional, an OpenAI-compatible endpoint
 *   MODERATION_OPENAI_MODEL      default omni-moderation-latest
 *   MODERATION_TRANSCRIBE_SPEECH 1 to transcribe clip audio with the openai provider
 *   MODERATION_TRANSCRIPTION_MODEL default gpt-4o-mini-transcribe
 *   MODERATION_POLICY_FILE       JSON policy document; default the built-in policy
 *   MODERATION_NSFW_WORKERS      worker threads for the local image classifier (default 1)
 */
export function loadModerationConfig(env: NodeJS.ProcessEnv = process.env): ModerationConfig {
  const provider = env.MODERATION_PROVIDER || 'local';
  if (provider !== 'local' && provider !== 'openai') {
    throw new ModerationConfigError(`MODERATION_PROVIDER must be "local" or "openai", got "${provider}"`);
  }
  const nsfwWorkers = Number(env.MODERATION_NSFW_WORKERS || 1);
  if (!Number.isInteger(nsfwWorkers) || nsfwWorkers < 1 || nsfwWorkers > 8) {
    throw new ModerationConfigError(`MODERATION_NSFW_WORKERS must be an integer from 1 to 8, got "${env.MODERATION_NSFW_WORKERS}"`);
  }
  const config: ModerationConfig = { provider, policy: loadPolicy(env.MODERATION_POLICY_FILE), nsfwWorkers };
  if (provider === 'openai') {
    if (!env.OPENAI_API_KEY) throw new ModerationConfigError('MODERATION_PROVIDER=openai needs OPENAI_API_KEY');
    const transcribe = env.MODERATION_TRANSCRIBE_SPEECH === '1' || env.MODERATION_TRANSCRIBE_SPEECH === 'true';
    config.openai = {
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL || undefined,
      model: env.MODERATION_OPENAI_MODEL || undefined,
      transcriptionModel: transcribe ? env.MODERATION_TRANSCRIPTION_MODEL || 'gpt-4o-mini-transcribe' : undefined,
    };
  }
  return config;
}

function loadPolicy(file: string | undefined): ModerationPolicy {
  if (!file) return DEFAULT_MODERATION_POLICY;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ModerationConfigError(`MODERATION_POLICY_FILE=${file} could not be read as JSON: ${(err as Error).message}`);
  }
  return parseModerationPolicy(document);
}

/** Builds the engine for a configuration; the local provider is also the named fallback for openai. */
export function createModerationEngine(
  config: ModerationConfig,
  bins: FfmpegBinaries = resolveFfmpegBinaries(),
  options: Partial<ModerationEngineOptions> = {},
): ModerationEngine {
  const local = new LocalModerationProvider(
    new LocalTextClassifier(),
    new NsfwImageClassifier(config.nsfwWorkers),
    new RgbFrameDecoder(bins, NSFW_INPUT_SIZE, 60_000),
  );
  const provider = config.provider === 'openai' ? new OpenAIModerationProvider(config.openai!) : local;
  return new ModerationEngine({
    provider,
    fallback: provider === local ? undefined : local,
    policy: config.policy,
    ocr: new FrameTextReader(),
    bins,
    options,
  });
}
