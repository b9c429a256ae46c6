import type { ClipReviewDto } from '@provenant/shared';
import { shortId } from './queue-view';

/** Which approvals this round has and still needs, in one sentence ("First approval by …; needs a senior reviewer"). */
export function fourEyesText(review: ClipReviewDto | null, seniorApprovalNeeded: boolean): string {
  if (!review) return 'Not in review yet.';
  if (!review.fourEyes) return 'One approval releases this clip.';
  const approvals = review.decisions.filter((d) => d.round === review.round && d.decision === 'approve');
  if (approvals.length === 0) return 'Four eyes: needs two approvals by two people, one of them a senior reviewer.';
  const first = approvals[0];
  const by = first.reviewerId ? `reviewer ${shortId(first.reviewerId)}` : 'a reviewer';
  const needs = seniorApprovalNeeded ? 'needs a senior reviewer' : 'needs a second reviewer';
  return `Four eyes: first approval by ${by}${first.senior ? ' (senior)' : ''}; ${needs}.`;
}
