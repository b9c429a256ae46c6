/**
 * The report returned by ModerationEngine and printed by `provenant moderate
 * --json`. Declared in @provenant/shared: the clip API returns it inside the
 * moderation stage results and the console renders it.
 */
export type {
  CategoryReport,
  FramesEvidence,
  ModerationEvidence,
  ModerationReport,
  ModerationSource,
  ProviderFallbackEvidence,
  ProviderScoreEvidence,
  SpeechCoverage,
  TextMatchEvidence,
  UnassessedTextEvidence,
  WorstFrame,
} from '@provenant/shared';
