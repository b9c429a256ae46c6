import type { CheckVerdict, ClipState, CreateLikenessGrantRequest, LikenessAppearanceDto, LikenessConsent } from '@provenant/shared';
import { shortTime } from './likeness-registry-view';

/** The grant form: to one creator (by user id) or to everyone, optionally until the end of a day. */
export interface GrantDraft {
  to: 'creator' | 'everyone';
  creatorId: string;
  /** A date input's value, "YYYY-MM-DD", or empty for no end. */
  until: string;
}
export const EMPTY_GRANT_DRAFT: GrantDraft = { to: 'creator', creatorId: '', until: '' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The end of that day on the reader's clock, as the API's ISO time; null for a malformed date. */
export function endOfDay(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  return end.getMonth() === Number(m[2]) - 1 ? end.toISOString() : null;
}

/** What is missing or wrong in the grant form, or null. */
export function grantDraftProblem(draft: GrantDraft, now: Date = new Date()): string | null {
  if (draft.to === 'creator') {
    const id = draft.creatorId.trim();
    if (!id) return 'Give the creator’s user id, or choose everyone.';
    if (!UUID.test(id)) return 'A creator’s user id looks like 7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f.';
  }
  if (draft.until) {
    const until = endOfDay(draft.until);
    if (!until) return 'The end date is not a date.';
    if (new Date(until).getTime() <= now.getTime()) return 'The end date has passed: choose today or later.';
  }
  return null;
}

export function grantRequest(draft: GrantDraft): CreateLikenessGrantRequest {
  const until = draft.until ? endOfDay(draft.until) : null;
  return { ...(draft.to === 'everyone' ? { everyone: true } : { creatorId: draft.creatorId.trim().toLowerCase() }), ...(until ? { until } : {}) };
}

const FOUND_TEXT: Record<LikenessAppearanceDto['found'], string> = { name: 'your name, in the prompt', face: 'your face, in the clip' };

const CONSENT_TEXT: Record<LikenessConsent, string> = {
  granted: 'you allowed this creator',
  own_likeness: 'your own clip',
  no_grant: 'you have not allowed this creator',
  protected: 'protected',
  unregistered: 'not matched to you',
};

export interface AppearanceRow {
  clipId: string;
  /** The first 8 characters of the clip id. */
  shortId: string;
  state: ClipState;
  found: string;
  outcome: CheckVerdict;
  /** The outcome in words, with the consent that decided it. */
  outcomeText: string;
  at: string;
  atText: string;
  /** A link to /clips/:id: only where the reader may open that clip (staff every clip; a creator their own, which is where the consent is their own likeness). */
  link: boolean;
}

const OUTCOME_TEXT: Record<CheckVerdict, string> = { allow: 'allowed', review: 'sent to a human', block: 'blocked' };

/** Which clips the reader may open: staff every clip, a creator only their own. */
export interface ClipAccess {
  seesAllClips: boolean;
  readsOwnClips: boolean;
}

/** The appearances feed: every clip your likeness was found in, newest first. */
export function appearanceRows(items: readonly LikenessAppearanceDto[], access: ClipAccess): AppearanceRow[] {
  return [...items]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((a) => ({
      clipId: a.clipId,
      shortId: a.clipId.slice(0, 8),
      state: a.state,
      found: FOUND_TEXT[a.found],
      outcome: a.outcome,
      outcomeText: `${OUTCOME_TEXT[a.outcome]}: ${CONSENT_TEXT[a.consent]}`,
      at: a.at,
      atText: shortTime(a.at),
      link: access.seesAllClips || (access.readsOwnClips && a.consent === 'own_likeness'),
    }));
}
