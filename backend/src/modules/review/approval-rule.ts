import type { ReviewCause } from '@provenant/shared';

/**
 * The four-eyes rule. A round needs one approval, or two from two different
 * people with at least one senior_reviewer when the clip was flagged by a
 * check, escalated, let out of a block or reopened after a rejection. Whoever
 * overrode or reopened may not review that round (review_items.reopened_by). (That the two are different people
 * is enforced where approvals are stored: one approval per reviewer a round.)
 */
export interface ApprovalState {
  fourEyes: boolean;
  /** Approvals already recorded in this round. */
  approvals: number;
  seniorApprovals: number;
}

/** `final`: this approval completes the round; `first`: it is recorded and another is needed; `needs_senior`: refused. */
export type ApprovalOutcome = 'final' | 'first' | 'needs_senior';

/**
 * A round is four-eyes when a check flagged the clip, or a person overturned
 * an outcome (a senior reviewer's override of a block, an admin's reopening of
 * a rejection); an escalation makes it one later.
 */
export function requiresFourEyes(clip: { flagged: boolean }, cause: ReviewCause): boolean {
  return clip.flagged || cause === 'blocked_override' || cause === 'rejection_reopen';
}

export function approvalsNeeded(fourEyes: boolean): number {
  return fourEyes ? 2 : 1;
}

/**
 * Whether only a senior reviewer's approval can complete the round now.
 * Stored with the round (review_items.senior_approval_needed) whenever the
 * round changes, so "claim next" filters on this answer, not on a copy of the rule.
 */
export function seniorApprovalNeeded(state: ApprovalState): boolean {
  return state.fourEyes && state.seniorApprovals === 0 && state.approvals + 1 >= approvalsNeeded(true);
}

/** What one more approval, by a senior reviewer or not, does to the round. */
export function judgeApproval(state: ApprovalState, bySenior: boolean): ApprovalOutcome {
  if (!bySenior && seniorApprovalNeeded(state)) return 'needs_senior';
  return state.approvals + 1 >= approvalsNeeded(state.fourEyes) ? 'final' : 'first';
}
