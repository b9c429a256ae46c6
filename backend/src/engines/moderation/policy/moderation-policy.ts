import type { CategoryThresholds, ModerationPolicy } from '@provenant/shared';
import { MODERATION_CATEGORIES, ModerationCategory } from '../categories';

// Declared in @provenant/shared: the policy API takes and returns these documents.
export type { CategoryThresholds, ModerationPolicy, ProviderOutageAction } from '@provenant/shared';

/**
 * sexual/minors always blocks at or above this score, whatever a policy says:
 * a policy may be stricter (a lower threshold), never more lenient.
 */
export const SEXUAL_MINORS_BLOCK_FLOOR = 0.5;

const STANDARD: CategoryThresholds = { review: 0.5, block: 0.85 };

export const DEFAULT_MODERATION_POLICY: ModerationPolicy = {
  version: 'default-2026-11-26.1',
  categories: {
    ...(Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, STANDARD])) as Record<ModerationCategory, CategoryThresholds>),
    // Depicted violence is common in legitimate fiction: a human decides, only explicit threats and gore block.
    violence: { review: 0.5, block: 0.9 },
    'sexual/minors': { review: 0.2, block: 0.4 },
  },
  frames: { consecutiveToBlock: 2, consecutiveToReview: 1 },
  onProviderOutage: 'fail',
};
