import { CategoryScores } from '../categories';
import { TextMatchEvidence } from '../moderation-report';

export type TextSource = 'prompt' | 'on_screen_text' | 'speech';

export interface TextScoring {
  /** Scores for the categories this provider assessed on the text. */
  scores: CategoryScores;
  /** Matched spans and rules, when the provider can say why (the local rules can). */
  matches: TextMatchEvidence[];
  /** Scripts the provider could not read; non-empty means the scores say little. */
  unreadableScripts: string[];
}

export interface ImageInput {
  path: string;
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
}

export interface ImageScoring {
  /** Scores only for the categories this provider scores on images. */
  scores: CategoryScores;
  /** An advisory signal may send content to review but never blocks it on its own. */
  advisory: boolean;
}

/**
 * A moderation backend, chosen by configuration. Every provider scores text
 * on all 13 categories and images on the categories it can; speech is
 * transcribed only by providers that can (`transcribe` absent otherwise).
 */
export interface ModerationProvider {
  readonly name: string;
  /** Models and rule sets behind the scores, recorded in every report. */
  readonly models: readonly string[];
  scoreText(text: string, source: TextSource): Promise<TextScoring>;
  scoreImages(images: readonly ImageInput[]): Promise<ImageScoring[]>;
  transcribe?(audioPath: string): Promise<string>;
  /** Loads the provider's local models ahead of its first call; absent when it has none to load. */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}
