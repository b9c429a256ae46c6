import {
  APPEAL_REASON_CODES,
  APPEAL_TEXT_LIMITS,
  MODERATION_CATEGORIES,
  type AppealDecisionKind,
  type AppealStatus,
  type ClipDto,
  type PromptAppealDto,
  type ReasonCode,
} from '@provenant/shared';

/** What the clip page shows about an appeal, and whether the viewer may file one now. */
export interface AppealPanelView {
  visible: boolean;
  /** The appeal's state in words; null while none was filed. */
  status: string | null;
  /** How it was decided: the reason's label and code. */
  decision: string | null;
  /** The viewer submitted this prompt, it was blocked before generation, and it was not appealed yet. */
  canAppeal: boolean;
}

const STATUS_TEXT: Record<AppealStatus, string> = {
  pending: 'Appealed: waiting for a senior reviewer',
  granted: 'Appeal granted: the prompt went on to generation, and its review needs two approvals, one a senior reviewer’s',
  denied: 'Appeal denied: the block stands',
};

type AppealedClip = Pick<ClipDto, 'state' | 'source' | 'media' | 'createdBy' | 'appeal'>;

export function appealPanelView(clip: AppealedClip, myId: string | null): AppealPanelView {
  const canAppeal = !clip.appeal && clip.state === 'BLOCKED' && clip.source === 'prompt' && clip.media === null && clip.createdBy === myId;
  const decided = clip.appeal?.decision;
  return {
    visible: canAppeal || clip.appeal !== null,
    status: clip.appeal ? STATUS_TEXT[clip.appeal.status] : null,
    decision: decided ? `${decided.reasonLabel ?? 'reason'} (${decided.reasonCode})` : null,
    canAppeal,
  };
}

/** The server's bounds, checked before sending: what is wrong with this reason or note, or null. */
export function writingProblem(text: string, what: string): string | null {
  const length = text.trim().length;
  if (length < APPEAL_TEXT_LIMITS.min) return `Write ${what} of at least ${APPEAL_TEXT_LIMITS.min} characters (${length} so far).`;
  if (length > APPEAL_TEXT_LIMITS.max) return `${what[0].toUpperCase()}${what.slice(1)} must be at most ${APPEAL_TEXT_LIMITS.max} characters (${length}).`;
  return null;
}

export interface AppealDraft {
  decision: AppealDecisionKind | null;
  reasonCode: string | null;
  note: string;
}
export const EMPTY_APPEAL_DRAFT: AppealDraft = { decision: null, reasonCode: null, note: '' };

export const appealReasonsFor = (decision: AppealDecisionKind | null): readonly ReasonCode[] => (decision ? APPEAL_REASON_CODES[decision] : []);

/** What is still missing before a decision can be sent, or null. */
export function appealDraftProblem(draft: AppealDraft): string | null {
  if (!draft.decision) return 'Choose grant or deny.';
  if (!draft.reasonCode || !appealReasonsFor(draft.decision).some((r) => r.code === draft.reasonCode)) return `Choose a reason to ${draft.decision}.`;
  return writingProblem(draft.note, 'a note');
}

export interface AppealRow {
  clipId: string;
  prompt: string;
  blockReason: string;
  reason: string;
  appealedAt: string;
  /** The categories the prompt check blocked or sent to review, with their scores. */
  evidence: string[];
  status: AppealStatus;
}

/** The appeals list: what blocked each prompt and what its creator says. */
export function appealRows(items: readonly PromptAppealDto[]): AppealRow[] {
  return items.map((item) => {
    const evidence = (item.moderation?.reports ?? []).flatMap((r) =>
      MODERATION_CATEGORIES.filter((c) => r.report.categories[c].verdict !== 'allow').map(
        (c) => `${r.subject}: ${c} ${r.report.categories[c].score.toFixed(2)} (${r.report.categories[c].verdict})`,
      ),
    );
    return {
      clipId: item.clipId,
      prompt: item.prompt ?? '(prompt erased)',
      blockReason: item.blockReason ?? '—',
      reason: item.appeal.reason ?? '(reason erased)',
      appealedAt: item.appeal.appealedAt,
      evidence,
      status: item.appeal.status,
    };
  });
}
