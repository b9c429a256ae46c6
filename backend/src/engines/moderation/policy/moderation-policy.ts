import { MODERATION_CATEGORIES, ModerationCategory } from '../categories';

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
