import type { ReviewQueueItemDto } from '@provenant/shared';
import { queueRows } from './queue-view';

const item = (over: Partial<ReviewQueueItemDto>): ReviewQueueItemDto => ({
  clipId: 'c1c1c1c1-0000-4000-8000-000000000000',
  priority: 'normal',
  dueAt: '2026-12-02T12:10:00Z',
  overdue: false,
  enqueuedAt: '2026-12-02T11:00:00Z',
  round: 1,
  cause: 'pipeline',
  flagged: false,
  escalated: false,
  approvals: 0,
  approvalsNeeded: 1,
  seniorApprovalNeeded: false,
  claim: null,
  ...over,
});

describe('queueRows', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const me = 'aaaaaaaa-1111-4000-8000-000000000000';

  it('counts down to the due time and marks what is overdue at this moment', () => {
    const [open, late] = queueRows([item({}), item({ dueAt: '2026-12-02T11:59:30Z' })], now, me);
    expect([open.due, open.overdue]).toEqual(['due in 10 min 00 s', false]);
    expect([late.due, late.overdue]).toEqual(['overdue by 30 s', true]);
  });

  it('says who holds each clip', () => {
    const rows = queueRows(
      [item({}), item({ claim: { reviewerId: me, leaseExpiresAt: '2026-12-02T12:05:00Z' } }), item({ claim: { reviewerId: 'bbbbbbbb-2222-4000-8000-000000000000', leaseExpiresAt: '2026-12-02T12:05:00Z' } })],
      now,
      me,
    );
    expect(rows.map((r) => [r.holder, r.heldByMe])).toEqual([
      ['free', false],
      ['you', true],
      ['reviewer bbbbbbbb', false],
    ]);
  });

  it('names why a clip is in review and what its remaining approval needs', () => {
    const [row] = queueRows([item({ flagged: true, cause: 'blocked_override', approvals: 1, approvalsNeeded: 2, seniorApprovalNeeded: true, priority: 'high' })], now, me);
    expect(row.notes).toEqual(['flagged by a check', 'block overridden', 'needs a senior reviewer']);
    expect(row.approvals).toBe('1 of 2');
  });
});
