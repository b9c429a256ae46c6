import type { AppConfig } from '../../config/app-config';
import { type GenerationProvider, LocalDemoGenerator, OpenAIVideoGenerator } from '../../engines/generation';
import type { FfmpegBinaries } from '../../engines/media';

/** GENERATOR picks the provider; both implement the same interface. */
export function createGenerationProvider(config: AppConfig, bins: FfmpegBinaries): GenerationProvider {
  if (config.GENERATOR === 'openai') {
    return new OpenAIVideoGenerator({
      apiKey: config.OPENAI_API_KEY!,
      baseURL: config.OPENAI_BASE_URL,
      model: config.OPENAI_VIDEO_MODEL,
      seconds: config.OPENAI_VIDEO_SECONDS,
      size: config.OPENAI_VIDEO_SIZE,
      pollIntervalMs: config.OPENAI_POLL_INTERVAL_MS,
      timeoutMs: config.GENERATION_TIMEOUT_MS,
    });
  }
  const [width, height] = config.LOCAL_GENERATOR_SIZE.split('x').map(Number);
  return new LocalDemoGenerator(bins, { seconds: config.LOCAL_GENERATOR_SECONDS, width, height, timeoutMs: config.FFMPEG_TIMEOUT_MS });
}
