import { CHECK_KINDS, CHECK_VERDICTS, stagesOfCheck, type CheckKind, type CheckVerdict, type StageName } from './checks';
import { CLIP_STATES, CLIP_TRANSITIONS, ClipStateMachine, PROCESSING_STATES, type ClipState } from './clip-state';
import { REVIEW_REASON_CATALOG_VERSION, REVIEW_REASON_CODES, type ReasonCode } from './reason-codes';
import type { ReviewDecisionKind } from './review';

// The catalogues as the API serves them: built from the one definition of each, never restated.

/** GET /api/v1/review/reason-codes */
export interface ReviewReasonCatalogueDto {
  version: string;
  codes: Record<ReviewDecisionKind, ReasonCode[]>;
}

export interface ClipStateEntryDto {
  state: ClipState;
  /** The states it may move to; none for a final state. */
  next: ClipState[];
  terminal: boolean;
  /** The pipeline, not a person, is working on the clip in this state. */
  processing: boolean;
}

/** GET /api/v1/catalogues/clip-states */
export interface ClipStateCatalogueDto {
  states: ClipStateEntryDto[];
}

/** GET /api/v1/catalogues/check-kinds */
export interface CheckKindCatalogueDto {
  checks: { kind: CheckKind; stages: StageName[] }[];
  verdicts: CheckVerdict[];
}

/** The currently usable codes (retired ones left out), e.g. for an error naming the valid choices. */
export const activeReasonCodes = (decision: ReviewDecisionKind): string[] =>
  REVIEW_REASON_CODES[decision].filter((r: ReasonCode) => !r.retired).map((r) => r.code);

export function reviewReasonCatalogue(): ReviewReasonCatalogueDto {
  const codes = { approve: [...REVIEW_REASON_CODES.approve], reject: [...REVIEW_REASON_CODES.reject], escalate: [...REVIEW_REASON_CODES.escalate] };
  return { version: REVIEW_REASON_CATALOG_VERSION, codes };
}

export function clipStateCatalogue(): ClipStateCatalogueDto {
  return {
    states: CLIP_STATES.map((state) => ({ state, next: [...CLIP_TRANSITIONS[state]], terminal: ClipStateMachine.isTerminal(state), processing: PROCESSING_STATES.includes(state) })),
  };
}

export function checkKindCatalogue(): CheckKindCatalogueDto {
  return { checks: CHECK_KINDS.map((kind) => ({ kind, stages: stagesOfCheck(kind) })), verdicts: [...CHECK_VERDICTS] };
}
