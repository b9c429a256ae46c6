import type { ModerationCategory } from '@provenant/shared';

// Declared in @provenant/shared: the clip API returns these names and the console shows them.
export { IMAGE_SCORED_CATEGORIES, MODERATION_CATEGORIES, type ModerationCategory } from '@provenant/shared';

/** A score in [0, 1] for each category that was assessed; absent means not assessed. */
export type CategoryScores = Partial<Record<ModerationCategory, number>>;
