import { readFile } from 'node:fs/promises';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, toFile } from 'openai';
import type { Moderation, ModerationMultiModalInput } from 'openai/resources/moderations';
import { CategoryScores, MODERATION_CATEGORIES } from '../categories';
import { ModerationProviderError } from '../moderation-errors';
import { ImageInput, ImageScoring, ModerationProvider, TextScoring } from './moderation-provider';

export interface OpenAIModerationConfig {
  apiKey: string;
  /** For OpenAI-compatible endpoints and the loopback fake; default https://api.openai.com/v1. */
  baseURL?: string;
  model?: string;
  /** Set to transcribe clip audio and moderate the transcript; absent means speech is not checked. */
  transcriptionModel?: string;
  /** Per request; the SDK retries timeouts, 429s (honouring retry-after) and 5xx up to maxRetries. */
  timeoutMs?: number;
  maxRetries?: number;
  /** Parallel image requests (one frame per request). */
  concurrency?: number;
}

const PROVIDER = 'openai';

/**
 * OpenAI's moderation endpoint (omni-moderation-latest) through the openai
 * SDK. Only the scores for categories the model says it applied to the
 * input type are kept (`category_applied_input_types`): on an image,
 * hate or sexual/minors scores are meaningless and must not read as "clean".
 */
export class OpenAIModerationProvider implements ModerationProvider {
  readonly name = PROVIDER;
  readonly models: readonly string[];
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  readonly transcribe?: (audioPath: string) => Promise<string>;

  constructor(private readonly config: OpenAIModerationConfig) {
    this.model = config.model ?? 'omni-moderation-latest';
    this.concurrency = config.concurrency ?? 4;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      timeout: this.timeoutMs,
      maxRetries: config.maxRetries ?? 2,
    });
    this.models = [this.model, ...(config.transcriptionModel ? [config.transcriptionModel] : [])];
    if (config.transcriptionModel) this.transcribe = (path) => this.transcribeAudio(path, config.transcriptionModel!);
  }

  async scoreText(text: string): Promise<TextScoring> {
    const result = await this.moderate([{ type: 'text', text }]);
    return { scores: appliedScores(result, 'text'), matches: [], unreadableScripts: [] };
  }

  async scoreImages(images: readonly ImageInput[]): Promise<ImageScoring[]> {
    const results: ImageScoring[] = new Array(images.length);
    let next = 0;
    const lane = async () => {
      while (next < images.length) {
        const index = next++;
        const image = images[index];
        const url = `data:${image.mimeType};base64,${(await readFile(image.path)).toString('base64')}`;
        const result = await this.moderate([{ type: 'image_url', image_url: { url } }]);
        results[index] = { scores: appliedScores(result, 'image'), advisory: false };
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, images.length) }, lane));
    return results;
  }

  async close(): Promise<void> {
    // The SDK holds no resources that need closing.
  }

  private async moderate(input: ModerationMultiModalInput[]): Promise<Moderation> {
    let response;
    const started = Date.now();
    try {
      response = await this.client.moderations.create({ model: this.model, input });
    } catch (err) {
      throw toProviderError(err, Date.now() - started >= this.timeoutMs);
    }
    const result = response?.results?.[0];
    if (!result?.category_scores || !result.category_applied_input_types) {
      throw new ModerationProviderError(PROVIDER, 'BAD_RESPONSE', true, 'moderation response has no results with scores');
    }
    return result;
  }

  private async transcribeAudio(audioPath: string, model: string): Promise<string> {
    const started = Date.now();
    try {
      const file = await toFile(await readFile(audioPath), 'speech.mp3', { type: 'audio/mpeg' });
      const transcription = await this.client.audio.transcriptions.create({ file, model });
      return transcription.text;
    } catch (err) {
      throw toProviderError(err, Date.now() - started >= this.timeoutMs);
    }
  }
}

function appliedScores(result: Moderation, inputType: 'text' | 'image'): CategoryScores {
  const scores: CategoryScores = {};
  const applied = result.category_applied_input_types as unknown as Record<string, string[] | undefined>;
  const raw = result.category_scores as unknown as Record<string, number | undefined>;
  for (const category of MODERATION_CATEGORIES) {
    const score = raw[category];
    if (applied[category]?.includes(inputType) && typeof score === 'number' && score >= 0 && score <= 1) {
      scores[category] = score;
    }
  }
  return scores;
}

/**
 * `ranPastTimeout`: the SDK cannot always tell a timeout from another
 * connection failure (its abort error may not survive a realm boundary), so
 * a connection error that came after the timeout had elapsed counts as one.
 */
function toProviderError(err: unknown, ranPastTimeout: boolean): ModerationProviderError {
  if (err instanceof ModerationProviderError) return err;
  if (err instanceof APIConnectionTimeoutError || (err instanceof APIConnectionError && ranPastTimeout)) {
    return new ModerationProviderError(PROVIDER, 'TIMEOUT', true, 'OpenAI moderation request timed out after the SDK retries');
  }
  if (err instanceof APIConnectionError) {
    return new ModerationProviderError(PROVIDER, 'UNREACHABLE', true, `could not reach the OpenAI API: ${err.message}`);
  }
  if (err instanceof APIError && err.status !== undefined) {
    const message = `OpenAI API answered HTTP ${err.status} after the SDK retries: ${err.message}`;
    if (err.status === 429) {
      return new ModerationProviderError(PROVIDER, 'RATE_LIMITED', true, message, retryAfterSeconds(err.headers));
    }
    if (err.status >= 500 || err.status === 408 || err.status === 409) {
      return new ModerationProviderError(PROVIDER, 'UPSTREAM_ERROR', true, message, retryAfterSeconds(err.headers));
    }
    if (err.status === 401 || err.status === 403) return new ModerationProviderError(PROVIDER, 'AUTH', false, message);
    return new ModerationProviderError(PROVIDER, 'REJECTED', false, message);
  }
  return new ModerationProviderError(PROVIDER, 'BAD_RESPONSE', true, `OpenAI moderation failed: ${(err as Error).message}`);
}

function retryAfterSeconds(headers: Headers | undefined): number | null {
  const value = headers?.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}
