import { GenerationError, type GenerationProvider } from '../../../engines/generation';
import { checkMediaLimits, type MediaLimits, MediaRejectedError, type MediaProber } from '../../../engines/media';
import { toMediaInfo } from '../media-info';
import { StageRejection, type PipelineStage, type StageContext, type StageOutcome } from '../pipeline-stage';

/** Turns a prompt (and optional reference image) into the clip's media through the configured provider. */
export class GenerateStage implements PipelineStage {
  readonly name = 'generate' as const;
  readonly phase = 'GENERATING' as const;

  constructor(
    private readonly provider: GenerationProvider,
    private readonly prober: MediaProber,
    private readonly limits: MediaLimits,
  ) {}

  appliesTo(clip: StageContext['clip']): boolean {
    return clip.source === 'prompt';
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    const output = store.scratchPath();
    try {
      const referenceImage = clip.referenceImageSha256
        ? { path: store.localPath(clip.referenceImageSha256), mimeType: clip.referenceImageType as 'image/png' | 'image/jpeg' | 'image/webp' }
        : undefined;
      const generated = await this.provider.generate({ prompt: clip.prompt ?? '', referenceImage, outputPath: output, signal });
      const probed = await this.prober.probe(output, signal);
      const problem = checkMediaLimits(probed, this.limits);
      if (problem) throw new StageRejection('MEDIA_LIMIT_EXCEEDED', `generated media is outside the limits: ${problem}`);
      const sha256 = await store.commit(await store.stageFile(output));
      return {
        verdict: 'allow',
        result: { ...generated },
        media: { sha256, info: toMediaInfo(sha256, probed) },
        generator: `${generated.provider}:${generated.model}`,
      };
    } catch (err) {
      if (err instanceof GenerationError && !err.retryable) throw new StageRejection('GENERATION_FAILED', err.message);
      if (err instanceof MediaRejectedError) throw new StageRejection('MEDIA_UNREADABLE', `generated media is unusable: ${err.reason}`);
      throw err;
    } finally {
      await store.discard(output);
    }
  }
}
