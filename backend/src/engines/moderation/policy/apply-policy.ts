import type { CheckVerdict } from '@provenant/shared';
import { CategoryScores, MODERATION_CATEGORIES, ModerationCategory } from '../categories';
import { CategoryThresholds, ModerationPolicy, SEXUAL_MINORS_BLOCK_FLOOR } from './moderation-policy';

export interface CategoryDecision {
  score: number;
  threshold: CategoryThresholds;
  verdict: CheckVerdict;
}

export interface PolicyDecision {
  verdict: CheckVerdict;
  categories: Record<ModerationCategory, CategoryDecision>;
}

export interface ApplyPolicyOptions {
  /**
   * Categories whose score here comes from an advisory signal (e.g. the local
   * nsfw classifier): they can send a clip to review but never block it.
   * sexual/minors ignores this: it is a hard rule.
   */
  reviewOnly?: Iterable<ModerationCategory>;
}

const VERDICT_RANK: Record<CheckVerdict, number> = { allow: 0, review: 1, block: 2 };

export function worstVerdict(verdicts: Iterable<CheckVerdict>): CheckVerdict {
  let worst: CheckVerdict = 'allow';
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}

/** The thresholds actually enforced: the sexual/minors floor holds even for a policy object that skipped validation. */
export function effectiveThresholds(policy: ModerationPolicy, category: ModerationCategory): CategoryThresholds {
  const configured = policy.categories[category];
  if (category !== 'sexual/minors') return configured;
  const block = Math.min(configured.block ?? SEXUAL_MINORS_BLOCK_FLOOR, SEXUAL_MINORS_BLOCK_FLOOR);
  return { review: Math.min(configured.review, block), block };
}

export function verdictForScore(score: number, threshold: CategoryThresholds): CheckVerdict {
  if (threshold.block !== null && score >= threshold.block) return 'block';
  return score >= threshold.review ? 'review' : 'allow';
}

/** Maps per-category scores to per-category verdicts and the overall verdict (the worst one). */
export function applyPolicy(
  scores: CategoryScores,
  policy: ModerationPolicy,
  options: ApplyPolicyOptions = {},
): PolicyDecision {
  const reviewOnly = new Set(options.reviewOnly ?? []);
  reviewOnly.delete('sexual/minors');
  const categories = {} as Record<ModerationCategory, CategoryDecision>;
  for (const category of MODERATION_CATEGORIES) {
    const score = scores[category] ?? 0;
    const threshold = effectiveThresholds(policy, category);
    let verdict = verdictForScore(score, threshold);
    if (verdict === 'block' && reviewOnly.has(category)) verdict = 'review';
    categories[category] = { score, threshold, verdict };
  }
  return { verdict: worstVerdict(Object.values(categories).map((c) => c.verdict)), categories };
}
