import type { ClipReviewDto, ReviewDecisionDto } from '@provenant/shared';
import { fourEyesText } from './four-eyes';

const review = (over: Partial<ClipReviewDto>): ClipReviewDto => ({
  round: 1,
  cause: 'pipeline',
  priority: 'high',
  dueAt: '2026-12-02T12:00:00Z',
  open: true,
  fourEyes: true,
  approvals: 0,
  approvalsNeeded: 2,
  decisions: [],
  ...over,
});
const approval = (round: number, reviewerId: string, senior = false): ReviewDecisionDto => ({
  round,
  decision: 'approve',
  reasonCode: 'APPROVE_POLICY_COMPLIANT',
  reasonCatalogVersion: '2026-11-27.1',
  reviewerId,
  senior,
  at: '2026-12-02T11:00:00Z',
});

describe('fourEyesText', () => {
  it('says when one approval is enough', () => {
    expect(fourEyesText(review({ fourEyes: false, approvalsNeeded: 1 }), false)).toBe('One approval releases this clip.');
  });

  it('names the first approval of this round and who must give the second', () => {
    const r = review({ round: 2, approvals: 1, decisions: [approval(1, 'old00000-x'), approval(2, 'abcdef12-3456')] });
    expect(fourEyesText(r, true)).toBe('Four eyes: first approval by reviewer abcdef12; needs a senior reviewer.');
    expect(fourEyesText(review({ approvals: 1, decisions: [approval(1, '99999999-0', true)] }), false)).toBe('Four eyes: first approval by reviewer 99999999 (senior); needs a second reviewer.');
  });

  it('explains the rule before any approval', () => {
    expect(fourEyesText(review({}), false)).toContain('needs two approvals by two people');
  });
});
