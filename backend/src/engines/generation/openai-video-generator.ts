import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, toFile } from 'openai';
import type { Video, VideoCreateParams, VideoSeconds, VideoSize } from 'openai/resources/videos';
import { writeAtomically } from './atomic-output';
import { GenerationError, GenerationProvider, GenerationRequest, GenerationResult } from './generation-provider';
import { checkReferenceImage } from './reference-image';

export interface OpenAIVideoGeneratorConfig {
  apiKey: string;
  /** For OpenAI-compatible endpoints; default https://api.openai.com/v1. */
  baseURL?: string;
  model?: string;
  seconds?: VideoSeconds;
  /** WIDTHxHEIGHT, e.g. 1280x720. */
  size?: string;
  pollIntervalMs?: number;
  /** Budget for the whole job: create, polling and download. */
  timeoutMs: number;
  /** SDK-level retries of one HTTP call (429, 5xx, connection errors). */
  maxRetries?: number;
  /** A download larger than this is cut off and fails. */
  maxDownloadBytes?: number;
}

const EXTENSIONS = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' } as const;

/**
 * Generates through the OpenAI videos API (Sora) or a compatible endpoint:
 * create the job, poll until it completes or fails, stream the MP4 to disk.
 */
export class OpenAIVideoGenerator implements GenerationProvider {
  readonly name = 'openai';
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly seconds: VideoSeconds;
  private readonly size: string;
  private readonly pollIntervalMs: number;
  private readonly maxDownloadBytes: number;

  constructor(private readonly config: OpenAIVideoGeneratorConfig) {
    if (!config.apiKey) throw new Error('OpenAIVideoGenerator needs an apiKey');
    this.model = config.model ?? 'sora-2';
    this.seconds = config.seconds ?? '4';
    this.size = config.size ?? '1280x720';
    if (!/^\d+x\d+$/.test(this.size)) throw new Error(`size must look like 1280x720, got ${this.size}`);
    this.pollIntervalMs = config.pollIntervalMs ?? 5000;
    this.maxDownloadBytes = config.maxDownloadBytes ?? 1024 * 1024 * 1024;
    this.client = new OpenAI({
      apiKey: config.apiKey,
      baseURL: config.baseURL,
      maxRetries: config.maxRetries ?? 2,
      timeout: config.timeoutMs,
    });
  }

  async generate(req: GenerationRequest): Promise<GenerationResult> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.timeoutMs);
    const signal = req.signal ? AbortSignal.any([deadline.signal, req.signal]) : deadline.signal;
    try {
      const params: VideoCreateParams = {
        model: this.model,
        prompt: req.prompt,
        seconds: this.seconds,
        size: this.size as VideoSize,
      };
      if (req.referenceImage) {
        const { bytes } = await checkReferenceImage(req.referenceImage);
        const { mimeType } = req.referenceImage;
        params.input_reference = await toFile(bytes, `reference.${EXTENSIONS[mimeType]}`, { type: mimeType });
      }
      let video = await linked(signal, (callSignal) => this.client.videos.create(params, { signal: callSignal }));
      const id = video.id;
      while (video.status !== 'completed') {
        if (video.status === 'failed') throw jobFailure(video);
        await sleep(this.pollIntervalMs, undefined, { signal });
        video = await linked(signal, (callSignal) => this.client.videos.retrieve(id, { signal: callSignal }));
      }
      await writeAtomically(req.outputPath, (tempPath) => linked(signal, (callSignal) => this.download(id, tempPath, callSignal)));
      const [width, height] = (video.size ?? this.size).split('x').map(Number);
      return {
        provider: this.name,
        model: video.model ?? this.model,
        providerJobId: id,
        seconds: Number(video.seconds ?? this.seconds),
        width,
        height,
      };
    } catch (err) {
      if (err instanceof GenerationError) throw err;
      if (deadline.signal.aborted) {
        throw new GenerationError('TIMEOUT', `OpenAI video generation did not finish within ${this.config.timeoutMs} ms`, true, { cause: err });
      }
      if (req.signal?.aborted) throw new GenerationError('ABORTED', 'OpenAI video generation was aborted', true, { cause: err });
      throw toGenerationError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  private async download(videoId: string, tempPath: string, signal: AbortSignal): Promise<void> {
    const response = await this.client.videos.downloadContent(videoId, { variant: 'video' }, { signal });
    if (!response.body) throw new GenerationError('PROVIDER_FAILED', `video ${videoId} was completed but its content is empty`, true);
    let received = 0;
    const limit = this.maxDownloadBytes;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > limit) {
          callback(new GenerationError('PROVIDER_FAILED', `video ${videoId} is larger than the ${limit} byte download limit`, false));
        } else {
          callback(null, chunk);
        }
      },
    });
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), cap, createWriteStream(tempPath), { signal });
  }
}

/**
 * Runs one SDK call with its own signal that follows `signal`. The SDK adds an
 * abort listener to every signal it is given and never removes it, so a
 * long poll loop sharing one signal would pile up listeners.
 */
async function linked<T>(signal: AbortSignal, call: (callSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await call(controller.signal);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

function jobFailure(video: Video): GenerationError {
  const code = video.error?.code ?? 'unknown';
  const message = `OpenAI video job ${video.id} failed: ${video.error?.message ?? 'no reason given'} (${code})`;
  return new GenerationError(isPolicyCode(code) ? 'CONTENT_REJECTED' : 'PROVIDER_FAILED', message, false);
}

function toGenerationError(err: unknown): GenerationError {
  if (err instanceof APIConnectionTimeoutError) {
    return new GenerationError('TIMEOUT', 'OpenAI API request timed out', true, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new GenerationError('HTTP', `could not reach the OpenAI API: ${err.message}`, true, { cause: err });
  }
  if (err instanceof APIError && err.status !== undefined) {
    const message = `OpenAI API answered HTTP ${err.status}: ${err.message}`;
    if (isPolicyCode(err.code)) return new GenerationError('CONTENT_REJECTED', message, false, { cause: err });
    const retryable = err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
    return new GenerationError('HTTP', message, retryable, { cause: err });
  }
  return new GenerationError('PROVIDER_FAILED', `OpenAI video generation failed: ${(err as Error).message}`, false, { cause: err });
}

/** Policy refusals come back with codes such as moderation_blocked or content_policy_violation. */
function isPolicyCode(code: string | null | undefined): boolean {
  return /moderation|policy|safety/i.test(code ?? '');
}
