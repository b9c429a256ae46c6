import { NsfwImageClassifier, sexualScoreFromNsfw } from '../image/nsfw-image-classifier';
import { RgbFrameDecoder } from '../image/rgb-frame-decoder';
import { ModerationInputError } from '../moderation-errors';
import { LocalTextClassifier } from '../text/local-text-classifier';
import { ImageInput, ImageScoring, ModerationProvider, TextScoring, TextSource } from './moderation-provider';

/**
 * The offline default: curated text rules for all 13 categories, nsfwjs for
 * the sexual category on images (advisory: review, never a block on its own).
 * Violence and self-harm in pictures are not scored locally, and speech is
 * not transcribed: no local model for either can be installed here.
 */
export class LocalModerationProvider implements ModerationProvider {
  readonly name = 'local';
  readonly models: readonly string[];

  constructor(
    private readonly text: LocalTextClassifier,
    private readonly nsfw: NsfwImageClassifier,
    private readonly decoder: RgbFrameDecoder,
  ) {
    this.models = [text.version, nsfw.model];
  }

  async scoreText(text: string, source: TextSource): Promise<TextScoring> {
    const assessment = this.text.classify(text);
    return {
      scores: assessment.scores,
      matches: assessment.matches.map((m) => ({ kind: 'text_match', source, ...m })),
      unreadableScripts: assessment.unreadableScripts,
    };
  }

  async scoreImages(images: readonly ImageInput[]): Promise<ImageScoring[]> {
    let pixels: Uint8Array[];
    try {
      pixels = await this.decoder.decode(images.map((i) => i.path));
    } catch (err) {
      throw new ModerationInputError('IMAGE_UNREADABLE', `image could not be decoded: ${(err as Error).message}`);
    }
    const predictions = await Promise.all(pixels.map((p) => this.nsfw.classify(p)));
    return predictions.map((p) => ({ scores: { sexual: round(sexualScoreFromNsfw(p)) }, advisory: true }));
  }

  /** The nsfw model loads in its worker; the text rules parse one sentence so compromise (about a second) is loaded too. */
  async warmUp(): Promise<void> {
    this.text.classify('I will not hurt anyone.');
    await this.nsfw.warmUp();
  }

  async close(): Promise<void> {
    await this.nsfw.close();
  }
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
