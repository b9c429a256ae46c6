import type { ClipAppealDto, PromptAppealDto } from '@provenant/shared';
import { appealDraftProblem, appealPanelView, appealRows, writingProblem } from './appeal-view';

const me = 'aaaaaaaa-1111-4000-8000-000000000000';
const blocked = { state: 'BLOCKED', source: 'prompt', media: null, createdBy: me, appeal: null } as const;
const pending: ClipAppealDto = { status: 'pending', appealedAt: '2026-12-03T08:00:00Z', reason: 'a boxing match', decision: null };

describe('appealPanelView', () => {
  it('offers the form only to the submitter of a prompt blocked before generation, not yet appealed', () => {
    expect(appealPanelView(blocked, me)).toEqual({ visible: true, status: null, decision: null, canAppeal: true });
    expect(appealPanelView(blocked, 'someone-else').visible).toBe(false);
    expect(appealPanelView({ ...blocked, source: 'upload' }, me).canAppeal).toBe(false);
    expect(appealPanelView({ ...blocked, state: 'AWAITING_REVIEW' }, me).canAppeal).toBe(false);
    expect(appealPanelView({ ...blocked, media: {} as never }, me).canAppeal).toBe(false);
  });

  it('shows a filed appeal to everyone who sees the clip, with its decision', () => {
    expect(appealPanelView({ ...blocked, appeal: pending }, 'staff')).toEqual({ visible: true, status: 'Appealed: waiting for a senior reviewer', decision: null, canAppeal: false });
    const denied: ClipAppealDto = {
      ...pending,
      status: 'denied',
      decision: { decision: 'deny', reasonCode: 'DENY_BLOCK_CORRECT', reasonLabel: 'the block was right', reasonCatalogVersion: 'v', deciderId: null, at: '2026-12-03T09:00:00Z' },
    };
    expect(appealPanelView({ ...blocked, appeal: denied }, me)).toMatchObject({ status: 'Appeal denied: the block stands', decision: 'the block was right (DENY_BLOCK_CORRECT)', canAppeal: false });
  });
});

describe('writing and decision drafts', () => {
  it('holds a reason or note to the server bounds, trimmed', () => {
    expect(writingProblem('  short  ', 'a reason')).toBe('Write a reason of at least 10 characters (5 so far).');
    expect(writingProblem('x'.repeat(2001), 'a note')).toBe('A note must be at most 2000 characters (2001).');
    expect(writingProblem('a boxing match on film', 'a reason')).toBeNull();
  });

  it('needs a decision, a reason of that decision, and a note', () => {
    expect(appealDraftProblem({ decision: null, reasonCode: null, note: '' })).toBe('Choose grant or deny.');
    expect(appealDraftProblem({ decision: 'grant', reasonCode: 'DENY_BLOCK_CORRECT', note: 'a long enough note' })).toBe('Choose a reason to grant.');
    expect(appealDraftProblem({ decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE', note: '' })).toMatch(/^Write a note/);
    expect(appealDraftProblem({ decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE', note: 'a sports scene, fine' })).toBeNull();
  });
});

describe('appealRows', () => {
  it('lists what the prompt check did not allow, with scores, and marks erased writing', () => {
    const category = (score: number, verdict: string) => ({ score, verdict, threshold: { review: 0.5, block: 0.85 }, assessedBy: ['text'] });
    const categories = Object.fromEntries(
      ['sexual', 'sexual/minors', 'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm', 'self-harm/intent', 'self-harm/instructions', 'violence', 'violence/graphic'].map((c) => [c, category(0, 'allow')]),
    );
    categories['violence'] = category(0.65, 'review');
    categories['violence/graphic'] = category(0.9, 'block');
    const item = {
      clipId: 'c1',
      state: 'BLOCKED',
      prompt: null,
      submittedBy: me,
      blockReason: 'moderation blocked the prompt: violence/graphic 0.90',
      moderation: { reports: [{ subject: 'prompt', report: { categories } }] },
      appeal: { ...pending, reason: null },
    } as unknown as PromptAppealDto;
    expect(appealRows([item])).toEqual([
      {
        clipId: 'c1',
        prompt: '(prompt erased)',
        blockReason: 'moderation blocked the prompt: violence/graphic 0.90',
        reason: '(reason erased)',
        appealedAt: pending.appealedAt,
        evidence: ['prompt: violence 0.65 (review)', 'prompt: violence/graphic 0.90 (block)'],
        status: 'pending',
      },
    ]);
  });
});
