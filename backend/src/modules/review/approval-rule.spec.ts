import { approvalsNeeded, judgeApproval, requiresFourEyes, seniorApprovalNeeded } from './approval-rule';

describe('the four-eyes approval rule', () => {
  it('a clip nobody flagged or escalated is approved by one reviewer, senior or not', () => {
    expect(approvalsNeeded(false)).toBe(1);
    expect(judgeApproval({ fourEyes: false, approvals: 0, seniorApprovals: 0 }, false)).toBe('final');
    expect(judgeApproval({ fourEyes: false, approvals: 0, seniorApprovals: 0 }, true)).toBe('final');
  });

  it('a flagged or escalated clip needs two approvals, one of them a senior reviewer’s', () => {
    expect(approvalsNeeded(true)).toBe(2);
    const none = { fourEyes: true, approvals: 0, seniorApprovals: 0 };
    expect(judgeApproval(none, false)).toBe('first');
    expect(judgeApproval(none, true)).toBe('first');
    // One reviewer approved: only a senior can complete.
    const oneJunior = { fourEyes: true, approvals: 1, seniorApprovals: 0 };
    expect(seniorApprovalNeeded(oneJunior)).toBe(true);
    expect(judgeApproval(oneJunior, false)).toBe('needs_senior');
    expect(judgeApproval(oneJunior, true)).toBe('final');
    // A senior approved first: any second reviewer completes.
    const oneSenior = { fourEyes: true, approvals: 1, seniorApprovals: 1 };
    expect(seniorApprovalNeeded(oneSenior)).toBe(false);
    expect(judgeApproval(oneSenior, false)).toBe('final');
    expect(judgeApproval(oneSenior, true)).toBe('final');
  });

  it('a round a person overturned into (override of a block, reopened rejection) is four-eyes even if nothing flagged the clip', () => {
    expect(requiresFourEyes({ flagged: false }, 'pipeline')).toBe(false);
    expect(requiresFourEyes({ flagged: true }, 'pipeline')).toBe(true);
    expect(requiresFourEyes({ flagged: false }, 'blocked_override')).toBe(true);
    expect(requiresFourEyes({ flagged: false }, 'rejection_reopen')).toBe(true);
  });

  it('never asks for a senior when none is needed yet', () => {
    expect(seniorApprovalNeeded({ fourEyes: true, approvals: 0, seniorApprovals: 0 })).toBe(false);
    expect(seniorApprovalNeeded({ fourEyes: false, approvals: 0, seniorApprovals: 0 })).toBe(false);
  });
});
