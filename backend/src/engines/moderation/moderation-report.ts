import type { CheckVerdict } from '@provenant/shared';
import { ModerationCategory } from './categories';
import { CategoryThresholds } from './policy/moderation-policy';

/**
 * The report DTO returned by ModerationEngine and printed by
 * `provenant moderate --json`. (Candidate for `@provenant/shared`: the clip
 * API returns it inside the stage result and the review UI renders it.)
 */

/** Which part of the input a score or a match came from. */
export type ModerationSource = 'prompt' | 'image' | 'frames' | 'on_screen_text' | 'speech';

export interface CategoryReport {
  /** Highest score across the sources that assessed this category (0 when none did). */
  score: number;
  threshold: CategoryThresholds;
  verdict: CheckVerdict;
  /** Sources that actually scored this category; empty means it was not assessed. */
  assessedBy: ModerationSource[];
}

export interface TextMatchEvidence {
  kind: 'text_match';
  source: 'prompt' | 'on_screen_text' | 'speech';
  category: ModerationCategory;
  ruleId: string;
  score: number;
  /** The matched text after normalisation (what the rule saw). */
  normalised: string;
  /** The same span in the original text, with its character offsets. */
  original: string;
  start: number;
  end: number;
  /** For on-screen text: the frame the text was read from. */
  frameTimestampSeconds?: number;
}

export interface ProviderScoreEvidence {
  kind: 'provider_score';
  source: ModerationSource;
  category: ModerationCategory;
  provider: string;
  score: number;
  frameTimestampSeconds?: number;
}

export interface WorstFrame {
  timestampSeconds: number;
  score: number;
  thumbnailPath: string;
}

export interface FramesEvidence {
  kind: 'frames';
  source: 'frames' | 'on_screen_text';
  category: ModerationCategory;
  maxScore: number;
  framesOverReview: number;
  /** Longest run of consecutive sampled frames at or over the block threshold. */
  longestRunOverBlock: number;
  longestRunOverReview: number;
  framesSampled: number;
  worstFrames: WorstFrame[];
  /** Set when the frame rule changed the verdict the maximum alone would give. */
  note?: string;
}

export interface UnassessedTextEvidence {
  kind: 'unassessed_text';
  source: 'prompt' | 'on_screen_text' | 'speech';
  /** Unicode scripts found that the local rules cannot read. */
  scripts: string[];
  note: string;
}

export interface ProviderFallbackEvidence {
  kind: 'provider_fallback';
  from: string;
  to: string;
  reason: string;
}

export type ModerationEvidence =
  | TextMatchEvidence
  | ProviderScoreEvidence
  | FramesEvidence
  | UnassessedTextEvidence
  | ProviderFallbackEvidence;

export type SpeechCoverage =
  | { status: 'checked'; transcriptChars: number }
  | { status: 'not checked'; reason: string }
  | { status: 'no audio' }
  | { status: 'not applicable' };

export interface ModerationReport {
  verdict: CheckVerdict;
  policyVersion: string;
  /** Provider that produced the scores (after any fallback). */
  provider: string;
  /** Models and rule sets behind the scores, e.g. "local-text-rules@…", "nsfwjs/MobileNetV2". */
  models: string[];
  input: 'text' | 'image' | 'video';
  categories: Record<ModerationCategory, CategoryReport>;
  evidence: ModerationEvidence[];
  speech: SpeechCoverage;
  /** Frames looked at (video only). */
  framesSampled?: number;
}
