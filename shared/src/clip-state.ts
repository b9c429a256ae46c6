/**
 * The clip lifecycle: every state a clip can be in and every move between
 * states that is allowed. This table is the single definition; the backend
 * refuses any change of state that is not listed here.
 */
export const CLIP_STATES = [
  'SUBMITTED',
  'PROMPT_CHECK',
  'GENERATING',
  'ANALYZING',
  'AWAITING_REVIEW',
  'APPROVED',
  'SIGNING',
  'RELEASED',
  'BLOCKED',
  'REJECTED',
  'FAILED',
] as const;

export type ClipState = (typeof CLIP_STATES)[number];

export const CLIP_TRANSITIONS: Readonly<Record<ClipState, readonly ClipState[]>> = {
  // Prompts are checked before generation; uploads skip straight to analysis.
  SUBMITTED: ['PROMPT_CHECK', 'ANALYZING', 'FAILED'],
  PROMPT_CHECK: ['GENERATING', 'BLOCKED', 'FAILED'],
  GENERATING: ['ANALYZING', 'FAILED'],
  // The checks of the clip and the release render (watermark) run side by side in this one phase.
  ANALYZING: ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'],
  AWAITING_REVIEW: ['APPROVED', 'REJECTED', 'FAILED'],
  APPROVED: ['SIGNING', 'FAILED'],
  SIGNING: ['RELEASED', 'FAILED'],
  RELEASED: [],
  // A hard-blocked clip can only leave through a senior reviewer: an override of a clip block
  // resumes in analysis, where whatever has not run (at least the release render) completes, so
  // what reviewers then approve is the marked file that gets signed; a granted appeal of a
  // prompt block resumes at generation, as the prompt had no media yet.
  BLOCKED: ['ANALYZING', 'GENERATING'],
  // A rejection is final unless an admin reopens it.
  REJECTED: ['AWAITING_REVIEW'],
  FAILED: [],
};

/** States in which the pipeline (not a human) is working on the clip. */
export const PROCESSING_STATES: readonly ClipState[] = [
  'SUBMITTED',
  'PROMPT_CHECK',
  'GENERATING',
  'ANALYZING',
  'APPROVED',
  'SIGNING',
];

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: ClipState,
    readonly to: ClipState,
  ) {
    super(`illegal clip transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export const ClipStateMachine = {
  isState(value: unknown): value is ClipState {
    return typeof value === 'string' && (CLIP_STATES as readonly string[]).includes(value);
  },
  canTransition(from: ClipState, to: ClipState): boolean {
    return CLIP_TRANSITIONS[from].includes(to);
  },
  assertTransition(from: ClipState, to: ClipState): void {
    if (!ClipStateMachine.canTransition(from, to)) throw new IllegalTransitionError(from, to);
  },
  isTerminal(state: ClipState): boolean {
    return CLIP_TRANSITIONS[state].length === 0;
  },
};
