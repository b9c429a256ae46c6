import type { CheckVerdict, FaceMatchBand, LikenessConsent, LikenessNameMatch, LikenessPolicy } from '@provenant/shared';
import type { LikenessGrantRecord, LikenessSubjectRecord } from './likeness-subject.repository';

const SEVERITY: Record<CheckVerdict, number> = { allow: 0, review: 1, block: 2 };

/** The grant of `subject` that covers `creatorId` at `at`, if any: not revoked, not past `until`, for this creator or everyone. */
export function coveringGrant(grants: readonly LikenessGrantRecord[], creatorId: string, at: Date): LikenessGrantRecord | null {
  return grants.find((g) => g.revokedAt === null && (g.until === null || g.until > at) && (g.everyone || g.creatorId === creatorId)) ?? null;
}

/** Whether a grant applies at `at` (the `active` of its DTO). */
export const grantActive = (g: LikenessGrantRecord, at: Date): boolean => g.revokedAt === null && (g.until === null || g.until > at);

/**
 * What using `subject`'s likeness in a clip of `creatorId` leads to: the one
 * rule behind every likeness verdict. A protected subject is never generated;
 * a consenting subject only for creators they granted (or themselves).
 */
export function consentOf(subject: LikenessSubjectRecord, grants: readonly LikenessGrantRecord[], creatorId: string, at: Date): { consent: LikenessConsent; grantId?: string } {
  if (subject.kind === 'protected') return { consent: 'protected' };
  if (subject.userId === creatorId) return { consent: 'own_likeness' };
  const grant = coveringGrant(grants, creatorId, at);
  return grant ? { consent: 'granted', grantId: grant.id } : { consent: 'no_grant' };
}

export const outcomeOf = (policy: LikenessPolicy, consent: LikenessConsent): CheckVerdict => policy.outcomes[consent];

/**
 * A face's outcome: a sure match (`same`) is judged like a name; an uncertain
 * one (`review` band) goes to a human unless the subject would be allowed anyway.
 */
export function faceOutcome(policy: LikenessPolicy, band: FaceMatchBand, consent: LikenessConsent): CheckVerdict {
  const sure = outcomeOf(policy, consent);
  return band === 'same' || sure === 'allow' ? sure : 'review';
}

/** The stage verdict: the worst of its matches; allow when nothing matched. */
export function likenessVerdict(matches: readonly Pick<LikenessNameMatch, 'outcome'>[]): CheckVerdict {
  return matches.reduce<CheckVerdict>((worst, m) => (SEVERITY[m.outcome] > SEVERITY[worst] ? m.outcome : worst), 'allow');
}

/**
 * The block reason shown to the submitter and reviewers. It never names the
 * person: whether someone is in the registry is not the creator's to learn
 * from the registry (they wrote the name; reviewers see the subject).
 */
export function likenessBlockReason(matches: readonly Pick<LikenessNameMatch, 'outcome' | 'consent'>[], found: 'the prompt names' | 'the clip shows' | 'the reference image shows' = 'the prompt names'): string {
  const blocking = new Set(matches.filter((m) => m.outcome === 'block').map((m) => m.consent));
  const why = [
    blocking.has('protected') ? 'a protected person, who is never generated' : null,
    blocking.has('no_grant') ? 'a person who has not allowed you to use their likeness' : null,
    blocking.has('unregistered') ? 'a person the likeness registry does not know' : null,
    blocking.has('granted') || blocking.has('own_likeness') ? 'a person whose likeness this policy does not allow here' : null,
  ].filter(Boolean);
  return `likeness: ${found} ${why.join(' and ')}`;
}
