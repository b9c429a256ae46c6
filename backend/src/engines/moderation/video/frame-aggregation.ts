import type { CheckVerdict } from '@provenant/shared';
import { CategoryScores, MODERATION_CATEGORIES, ModerationCategory } from '../categories';
import { FramesEvidence, WorstFrame } from '../moderation-report';
import { effectiveThresholds } from '../policy/apply-policy';
import { ModerationPolicy } from '../policy/moderation-policy';

export interface ScoredFrame {
  timestampSeconds: number;
  /** Image file of the frame, kept as its thumbnail. */
  path: string;
  scores: CategoryScores;
}

export interface FrameCategoryResult {
  verdict: CheckVerdict;
  evidence: FramesEvidence;
}

export interface AggregateOptions {
  source: FramesEvidence['source'];
  /** Advisory categories: frames may send them to review, never block. */
  reviewOnly?: ReadonlySet<ModerationCategory>;
  worstFramesKept?: number;
}

/**
 * Per category across a clip's sampled frames: the maximum score, and the
 * longest run of consecutive frames at or over each threshold. A frame-based
 * block needs `policy.frames.consecutiveToBlock` frames in a row, so one
 * noisy frame cannot stop a clip; a shorter run over the block threshold
 * still goes to review, so a brief explicit segment is not averaged away.
 * sexual/minors is a hard rule: a single frame over its threshold blocks.
 */
export function aggregateFrames(
  frames: readonly ScoredFrame[],
  policy: ModerationPolicy,
  options: AggregateOptions,
): Map<ModerationCategory, FrameCategoryResult> {
  const ordered = [...frames].sort((a, b) => a.timestampSeconds - b.timestampSeconds);
  const results = new Map<ModerationCategory, FrameCategoryResult>();
  for (const category of MODERATION_CATEGORIES) {
    const scored = ordered.filter((f) => f.scores[category] !== undefined);
    if (scored.length === 0) continue;
    const scores = scored.map((f) => f.scores[category]!);
    const threshold = effectiveThresholds(policy, category);
    const hardRule = category === 'sexual/minors';
    const runOverBlock = threshold.block === null ? 0 : longestRun(scores, threshold.block);
    const runOverReview = longestRun(scores, threshold.review);
    const maxScore = Math.max(...scores);
    const neededToBlock = hardRule ? 1 : policy.frames.consecutiveToBlock;
    const mayBlock = hardRule || !options.reviewOnly?.has(category);

    let verdict: CheckVerdict = 'allow';
    let note: string | undefined;
    if (runOverBlock >= neededToBlock && mayBlock) {
      verdict = 'block';
    } else if (runOverReview >= policy.frames.consecutiveToReview || runOverBlock > 0) {
      verdict = 'review';
      if (runOverBlock > 0 && !mayBlock) note = 'over the block threshold, but this signal is advisory: review only';
      else if (runOverBlock > 0) note = `over the block threshold in ${runOverBlock} consecutive frame(s); ${neededToBlock} needed to block`;
    } else if (runOverReview > 0) {
      note = `over the review threshold in ${runOverReview} consecutive frame(s); ${policy.frames.consecutiveToReview} needed for review`;
    }

    const worstFrames: WorstFrame[] = scored
      .map((f) => ({ timestampSeconds: f.timestampSeconds, score: f.scores[category]!, thumbnailPath: f.path }))
      .sort((a, b) => b.score - a.score || a.timestampSeconds - b.timestampSeconds)
      .slice(0, options.worstFramesKept ?? 3);
    results.set(category, {
      verdict,
      evidence: {
        kind: 'frames',
        source: options.source,
        category,
        maxScore,
        framesOverReview: scores.filter((s) => s >= threshold.review).length,
        longestRunOverBlock: runOverBlock,
        longestRunOverReview: runOverReview,
        framesSampled: frames.length,
        worstFrames,
        ...(note ? { note } : {}),
      },
    });
  }
  return results;
}

function longestRun(scores: readonly number[], threshold: number): number {
  let longest = 0;
  let current = 0;
  for (const score of scores) {
    current = score >= threshold ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}
