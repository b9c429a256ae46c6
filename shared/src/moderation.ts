import type { CheckVerdict, StageName } from './checks';

/**
 * The 13 categories of OpenAI's omni-moderation model. Provenant scores every
 * one of them for every input, so a policy can name a threshold for each.
 */
export const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

/** The categories omni-moderation scores on images; the rest are text-only. */
export const IMAGE_SCORED_CATEGORIES: readonly ModerationCategory[] = [
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'violence',
  'violence/graphic',
];

/**
 * Score thresholds for one category: a score at or above `block` is a hard
 * stop, at or above `review` goes to a human flagged, anything lower is
 * allowed. `block: null` means the category never blocks on its own.
 */
export interface CategoryThresholds {
  review: number;
  block: number | null;
}

/** What the engine does when the configured remote provider is down after its retries. */
export type ProviderOutageAction = 'fail' | 'fallback_local';

/**
 * A versioned moderation policy document. Every report names the version
 * that produced it, so a decision can be traced to the thresholds in force.
 */
export interface ModerationPolicy {
  version: string;
  categories: Record<ModerationCategory, CategoryThresholds>;
  frames: {
    /** A frame-based block needs this many consecutive sampled frames at or over the block threshold. */
    consecutiveToBlock: number;
    /** A frame-based review needs this many consecutive sampled frames at or over the review threshold. */
    consecutiveToReview: number;
  };
  onProviderOutage: ProviderOutageAction;
}

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
  /** Set when the match is a relation found from the sentence structure rather than a phrase rule. */
  relation?: RelationEvidence;
}

/**
 * How a sentence aims harm: 'intent' (a first-person future or desire), 'instruction'
 * (an imperative), 'incitement' ("someone should", "let's"), 'wish' ("X should be shot",
 * "I hope X dies"), 'how_to' (asking for the way), 'self_depiction' (a film of the speaker
 * doing it), 'depiction' (a real person or a child shown harmed or sexualised).
 */
export type RelationMood = 'intent' | 'instruction' | 'incitement' | 'wish' | 'how_to' | 'self_depiction' | 'depiction';
export type RelationTargetKind = 'named' | 'role' | 'group' | 'you' | 'pronoun' | 'minor' | 'place';
export type RelationActKind = 'killing' | 'injury' | 'sexual_violence' | 'destruction' | 'harassment' | 'sexualisation' | 'suggestive';

/** Which relation fired: speaker/mood → act → target. */
export interface RelationEvidence {
  mood: RelationMood;
  /** The act's lemma ("kill", "blow up"). */
  act: string;
  actKind: RelationActKind;
  /** The target as written ("john smith", "my boss"). */
  target: string;
  targetKind: RelationTargetKind;
  /** Damped: the sentence frames it as a story, report, lesson, game, recipe or treatment. */
  framed: boolean;
}


export interface ProviderScoreEvidence {
  kind: 'provider_score';
  source: ModerationSource;
  category: ModerationCategory;
  provider: string;
  score: number;
  frameTimestampSeconds?: number;
}

/** A worst frame as the engine reports it: the image file it scored. */
export interface WorstFrame {
  timestampSeconds: number;
  score: number;
  thumbnailPath: string;
}

/** A worst frame as stored with a stage result: the thumbnail is an object in the content store. */
export interface StoredWorstFrame {
  timestampSeconds: number;
  score: number;
  thumbnailSha256: string;
}

export interface FramesEvidence<Frame = WorstFrame> {
  kind: 'frames';
  source: 'frames' | 'on_screen_text';
  category: ModerationCategory;
  maxScore: number;
  framesOverReview: number;
  /** Longest run of consecutive sampled frames at or over the block threshold. */
  longestRunOverBlock: number;
  longestRunOverReview: number;
  framesSampled: number;
  worstFrames: Frame[];
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

export type ModerationEvidence<Frame = WorstFrame> =
  | TextMatchEvidence
  | ProviderScoreEvidence
  | FramesEvidence<Frame>
  | UnassessedTextEvidence
  | ProviderFallbackEvidence;

export type SpeechCoverage =
  | { status: 'checked'; transcriptChars: number }
  | { status: 'not checked'; reason: string }
  | { status: 'no audio' }
  | { status: 'not applicable' };

/**
 * What one moderation call concluded (`ModerationEngine`, `provenant moderate
 * --json`). `Frame` is how worst frames are referenced: a file path from the
 * engine, a content-store hash once stored with a stage result.
 */
export interface ModerationReport<Frame = WorstFrame> {
  verdict: CheckVerdict;
  policyVersion: string;
  /** Provider that produced the scores (after any fallback). */
  provider: string;
  /** Models and rule sets behind the scores, e.g. "local-text-rules@…", "nsfwjs/MobileNetV2". */
  models: string[];
  input: 'text' | 'image' | 'video';
  categories: Record<ModerationCategory, CategoryReport>;
  evidence: Array<ModerationEvidence<Frame>>;
  speech: SpeechCoverage;
  /** Frames looked at (video only). */
  framesSampled?: number;
}

export type StoredModerationReport = ModerationReport<StoredWorstFrame>;

/** The pipeline stages of the moderation check: before generation, and after media analysis. */
export const MODERATION_STAGE_NAMES = ['prompt_moderation', 'clip_moderation'] as const satisfies readonly StageName[];

/** What a moderation stage looked at: the prompt and reference image before generation, the clip after it. */
export type ModerationSubject = 'prompt' | 'reference_image' | 'clip';

/**
 * The `result` of the moderation stages (prompt_moderation, clip_moderation)
 * in a clip's stage results: the policy in force when the stage ran, and one
 * report per subject. Evidence thumbnails are fetched with
 * `GET /api/v1/moderation/clips/{id}/evidence/{sha256}`. (A type alias, not
 * an interface, so that it is a stage's `Record<string, unknown>` result.)
 */
export type ModerationStageResult = {
  policyVersion: string;
  /** SHA-256 of the policy document (canonical JSON), as recorded in the audit log when it was set. */
  policySha256: string;
  /** Provider(s) that produced the reports, after any fallback, e.g. "openai" or "local". */
  provider: string;
  reports: Array<{ subject: ModerationSubject; report: StoredModerationReport }>;
  /**
   * clip_moderation of a clip whose prompt block a senior reviewer granted on
   * appeal: the categories that blocked the clip but were among those the
   * prompt was blocked in, so the clip went to its four-eyes review instead of
   * BLOCKED. The reports keep their own verdicts. Absent when none.
   */
  grantedOnAppeal?: ModerationCategory[];
};

/** `GET /api/v1/moderation/policy`: the policy the moderation stages apply now. */
export interface ModerationPolicyDto {
  version: string;
  /** SHA-256 of the canonical JSON of `document`. */
  sha256: string;
  /** `configured`: from MODERATION_POLICY_FILE or the built-in default, never changed through the API. */
  source: 'configured' | 'stored';
  /** Who stored it (`user:<id>`) and when; null for the configured policy. */
  setBy: string | null;
  setAt: string | null;
  document: ModerationPolicy;
}
