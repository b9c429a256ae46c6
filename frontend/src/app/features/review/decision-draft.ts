import { type ReasonCode, REVIEW_REASON_CODES, type ReviewDecisionKind, type ReviewDecisionRequest } from '@provenant/shared';

/** What the reviewer has chosen in the decision bar so far. */
export interface DecisionDraft {
  decision: ReviewDecisionKind | null;
  reasonCode: string | null;
  note: string;
}

export const EMPTY_DRAFT: DecisionDraft = { decision: null, reasonCode: null, note: '' };
const NOTE_MAX_CHARS = 4000;

/** The reasons a decision may give, from the versioned catalogue (retired codes are not offered). */
export const reasonsFor = (decision: ReviewDecisionKind): ReasonCode[] => (REVIEW_REASON_CODES[decision] as readonly ReasonCode[]).filter((r) => !r.retired);

/** Choosing another decision keeps the note, and drops a reason that belonged to the previous one. */
export const chooseDecision = (draft: DecisionDraft, decision: ReviewDecisionKind): DecisionDraft => ({
  ...draft,
  decision,
  reasonCode: draft.decision === decision ? draft.reasonCode : null,
});

/** Key 1–9: the index-th reason of the chosen decision; unchanged when there is none. */
export function chooseReasonByIndex(draft: DecisionDraft, index: number): DecisionDraft {
  if (!draft.decision) return draft;
  const reason = reasonsFor(draft.decision)[index];
  return reason ? { ...draft, reasonCode: reason.code } : draft;
}

/** What still stops the decision from being sent, as the sentence to show; null when it can be sent. */
export function draftProblem(draft: DecisionDraft): string | null {
  if (!draft.decision) return 'Choose Approve, Reject or Escalate.';
  if (!draft.reasonCode || !reasonsFor(draft.decision).some((r) => r.code === draft.reasonCode)) return `Pick a reason to ${draft.decision}.`;
  if (draft.note.length > NOTE_MAX_CHARS) return `The note is ${draft.note.length} characters; at most ${NOTE_MAX_CHARS}.`;
  return null;
}

/** The request body; call only when draftProblem is null. */
export function toDecisionRequest(draft: DecisionDraft): ReviewDecisionRequest {
  const note = draft.note.trim();
  return { decision: draft.decision!, reasonCode: draft.reasonCode!, ...(note ? { note } : {}) };
}
