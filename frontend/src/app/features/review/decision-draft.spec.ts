import { REVIEW_REASON_CODES } from '@provenant/shared';
import { chooseDecision, chooseReasonByIndex, draftProblem, EMPTY_DRAFT, reasonsFor, toDecisionRequest } from './decision-draft';

describe('the decision draft', () => {
  it('offers the catalogue’s reasons of the chosen decision', () => {
    expect(reasonsFor('escalate').map((r) => r.code)).toEqual(REVIEW_REASON_CODES.escalate.map((r) => r.code));
  });

  it('picks a reason by its number, and drops it when the decision changes', () => {
    let draft = chooseReasonByIndex(EMPTY_DRAFT, 0);
    expect(draft).toBe(EMPTY_DRAFT);
    draft = chooseReasonByIndex(chooseDecision(EMPTY_DRAFT, 'reject'), 1);
    expect(draft.reasonCode).toBe('REJECT_MINOR_SAFETY');
    expect(chooseReasonByIndex(draft, 40).reasonCode).toBe('REJECT_MINOR_SAFETY');
    expect(chooseDecision(draft, 'reject').reasonCode).toBe('REJECT_MINOR_SAFETY');
    expect(chooseDecision({ ...draft, note: 'kept' }, 'approve')).toEqual({ decision: 'approve', reasonCode: null, note: 'kept' });
  });

  it('says what is missing before it can be sent', () => {
    expect(draftProblem(EMPTY_DRAFT)).toBe('Choose Approve, Reject or Escalate.');
    expect(draftProblem(chooseDecision(EMPTY_DRAFT, 'approve'))).toBe('Pick a reason to approve.');
    expect(draftProblem({ decision: 'approve', reasonCode: 'REJECT_VIOLENCE', note: '' })).toBe('Pick a reason to approve.');
    expect(draftProblem({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', note: 'x'.repeat(4001) })).toContain('at most 4000');
    expect(draftProblem({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', note: '' })).toBeNull();
  });

  it('sends a note only when there is one', () => {
    expect(toDecisionRequest({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', note: '  ' })).toEqual({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' });
    expect(toDecisionRequest({ decision: 'escalate', reasonCode: 'ESCALATE_LEGAL', note: ' ask legal ' })).toEqual({ decision: 'escalate', reasonCode: 'ESCALATE_LEGAL', note: 'ask legal' });
  });
});
