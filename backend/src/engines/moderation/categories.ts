/**
 * The 13 categories of OpenAI's omni-moderation model. Provenant scores every
 * one of them for every input, so a policy can name a threshold for each.
 * (Candidate for `@provenant/shared`: the frontend shows these names.)
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

/** A score in [0, 1] for each category that was assessed; absent means not assessed. */
export type CategoryScores = Partial<Record<ModerationCategory, number>>;

export function isModerationCategory(value: string): value is ModerationCategory {
  return (MODERATION_CATEGORIES as readonly string[]).includes(value);
}
