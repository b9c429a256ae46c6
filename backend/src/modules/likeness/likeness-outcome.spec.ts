import { DEFAULT_LIKENESS_POLICY } from '@provenant/shared';
import { consentOf, coveringGrant, likenessBlockReason, likenessVerdict, outcomeOf } from './likeness-outcome';
import type { LikenessGrantRecord, LikenessSubjectRecord } from './likeness-subject.repository';

const NOW = new Date('2026-12-04T12:00:00Z');
const subject = (over: Partial<LikenessSubjectRecord> = {}): LikenessSubjectRecord => ({
  id: 's1',
  kind: 'consenting',
  displayName: 'Rowan Ashgrove',
  aliases: [],
  distinctive: false,
  userId: 'person',
  createdAt: NOW,
  ...over,
});
const grant = (over: Partial<LikenessGrantRecord> = {}): LikenessGrantRecord => ({
  id: 'g1',
  subjectId: 's1',
  creatorId: 'creator-a',
  everyone: false,
  until: null,
  createdAt: NOW,
  revokedAt: null,
  ...over,
});

describe('likeness consent', () => {
  it('a protected subject is never generated, whatever grants say', () => {
    expect(consentOf(subject({ kind: 'protected', userId: null }), [grant({ everyone: true, creatorId: null })], 'creator-a', NOW)).toEqual({ consent: 'protected' });
  });

  it('a consenting subject: their own clips, the creators they granted, everyone if they said so', () => {
    expect(consentOf(subject(), [], 'person', NOW)).toEqual({ consent: 'own_likeness' });
    expect(consentOf(subject(), [grant()], 'creator-a', NOW)).toEqual({ consent: 'granted', grantId: 'g1' });
    expect(consentOf(subject(), [grant()], 'creator-b', NOW)).toEqual({ consent: 'no_grant' });
    expect(consentOf(subject(), [grant({ id: 'g2', everyone: true, creatorId: null })], 'creator-b', NOW)).toEqual({ consent: 'granted', grantId: 'g2' });
  });

  it('a revoked grant or one past its end covers no one', () => {
    expect(coveringGrant([grant({ revokedAt: NOW })], 'creator-a', NOW)).toBeNull();
    expect(coveringGrant([grant({ until: NOW })], 'creator-a', NOW)).toBeNull();
    expect(coveringGrant([grant({ until: new Date(NOW.getTime() + 1) })], 'creator-a', NOW)?.id).toBe('g1');
  });

  it('the default policy blocks without consent and sends unregistered names to review', () => {
    expect(Object.fromEntries((['granted', 'own_likeness', 'no_grant', 'protected', 'unregistered'] as const).map((c) => [c, outcomeOf(DEFAULT_LIKENESS_POLICY, c)]))).toEqual({
      granted: 'allow',
      own_likeness: 'allow',
      no_grant: 'block',
      protected: 'block',
      unregistered: 'review',
    });
  });

  it('the verdict is the worst match, and the reason never names the person', () => {
    expect(likenessVerdict([])).toBe('allow');
    expect(likenessVerdict([{ outcome: 'allow' }, { outcome: 'review' }])).toBe('review');
    expect(likenessVerdict([{ outcome: 'review' }, { outcome: 'block' }, { outcome: 'allow' }])).toBe('block');
    expect(
      likenessBlockReason([
        { outcome: 'block', consent: 'protected' },
        { outcome: 'block', consent: 'no_grant' },
        { outcome: 'review', consent: 'unregistered' },
      ]),
    ).toBe('likeness: the prompt names a protected person, who is never generated and a person who has not allowed you to use their likeness');
  });
});
