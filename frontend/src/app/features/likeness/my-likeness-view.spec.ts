import type { LikenessAppearanceDto } from '@provenant/shared';
import { appearanceRows, endOfDay, grantDraftProblem, grantRequest } from './my-likeness-view';

const creatorId = '7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f';
const now = new Date(2026, 11, 4, 12, 0, 0);

describe('the grant form', () => {
  it('needs a creator’s user id, or everyone', () => {
    expect(grantDraftProblem({ to: 'creator', creatorId: '', until: '' }, now)).toBe('Give the creator’s user id, or choose everyone.');
    expect(grantDraftProblem({ to: 'creator', creatorId: 'bob', until: '' }, now)).toMatch(/^A creator’s user id looks like/);
    expect(grantDraftProblem({ to: 'creator', creatorId: ` ${creatorId.toUpperCase()} `, until: '' }, now)).toBeNull();
    expect(grantDraftProblem({ to: 'everyone', creatorId: 'ignored', until: '' }, now)).toBeNull();
  });

  it('takes an end date of today or later, to the end of that day', () => {
    expect(grantDraftProblem({ to: 'everyone', creatorId: '', until: '2026-12-03' }, now)).toBe('The end date has passed: choose today or later.');
    expect(grantDraftProblem({ to: 'everyone', creatorId: '', until: '2026-12-04' }, now)).toBeNull();
    expect(grantDraftProblem({ to: 'everyone', creatorId: '', until: '2026-02-30' }, now)).toBe('The end date is not a date.');
    expect(endOfDay('2027-01-31')).toBe(new Date(2027, 0, 31, 23, 59, 59, 999).toISOString());
    expect(endOfDay('soon')).toBeNull();
  });

  it('sends exactly one of creatorId or everyone', () => {
    expect(grantRequest({ to: 'creator', creatorId: ` ${creatorId.toUpperCase()} `, until: '' })).toEqual({ creatorId });
    expect(grantRequest({ to: 'everyone', creatorId: creatorId, until: '2027-01-31' })).toEqual({ everyone: true, until: new Date(2027, 0, 31, 23, 59, 59, 999).toISOString() });
  });
});

describe('the appearances feed', () => {
  const seen = (over: Partial<LikenessAppearanceDto>): LikenessAppearanceDto => ({
    clipId: 'aaaaaaaa-1111-4000-8000-000000000000',
    state: 'AWAITING_REVIEW',
    stage: 'prompt_likeness',
    found: 'name',
    outcome: 'allow',
    consent: 'granted',
    at: '2026-12-04T10:00:00.000Z',
    ...over,
  });

  it('lists each clip newest first, with how it was found and what came of it', () => {
    const rows = appearanceRows(
      [seen({}), seen({ clipId: 'bbbbbbbb-2222-4000-8000-000000000000', state: 'BLOCKED', stage: 'clip_likeness', found: 'face', outcome: 'block', consent: 'no_grant', at: '2026-12-04T11:00:00.000Z' })],
      { seesAllClips: true, readsOwnClips: true },
    );
    expect(rows).toEqual([
      { clipId: 'bbbbbbbb-2222-4000-8000-000000000000', shortId: 'bbbbbbbb', state: 'BLOCKED', found: 'your face, in the clip', outcome: 'block', outcomeText: 'blocked: you have not allowed this creator', at: '2026-12-04T11:00:00.000Z', atText: '2026-12-04 11:00 UTC', link: true },
      { clipId: 'aaaaaaaa-1111-4000-8000-000000000000', shortId: 'aaaaaaaa', state: 'AWAITING_REVIEW', found: 'your name, in the prompt', outcome: 'allow', outcomeText: 'allowed: you allowed this creator', at: '2026-12-04T10:00:00.000Z', atText: '2026-12-04 10:00 UTC', link: true },
    ]);
  });

  it('links a clip only where the reader may open it: staff every clip, a creator their own, a publisher none', () => {
    const items = [seen({}), seen({ clipId: 'cccccccc-3333-4000-8000-000000000000', consent: 'own_likeness' })];
    const links = (access: Parameters<typeof appearanceRows>[1]) => appearanceRows(items, access).map((r) => [r.shortId, r.link]);
    expect(links({ seesAllClips: false, readsOwnClips: true })).toEqual([
      ['aaaaaaaa', false],
      ['cccccccc', true],
    ]);
    expect(links({ seesAllClips: false, readsOwnClips: false })).toEqual([
      ['aaaaaaaa', false],
      ['cccccccc', false],
    ]);
  });
});
