import type { AppealDecisionKind, AppealStatus, ClipSource, ClipState } from '@provenant/shared';

/** What the rules read of a clip. */
export interface AppealClip {
  state: ClipState;
  source: ClipSource;
  createdBy: string;
  mediaSha256: string | null;
}

/** Why a request about an appeal is refused: the HTTP status it answers with and a message naming the problem. */
export interface AppealRefusal {
  status: 403 | 404 | 409;
  message: string;
}

export const appealStatus = (decision: AppealDecisionKind | null): AppealStatus => (decision === null ? 'pending' : decision === 'grant' ? 'granted' : 'denied');

/**
 * A prompt blocked before generation may be appealed once, by its submitter.
 * A clip blocked after generation has media, and goes to a senior reviewer's
 * override instead. A generated prompt has media, so "no media" is "stopped
 * at the prompt check" (generation failures end in FAILED, not BLOCKED).
 */
export function refuseAppeal(clipId: string, clip: AppealClip, appellantId: string, existing: { decision: AppealDecisionKind | null } | null): AppealRefusal | null {
  if (clip.createdBy !== appellantId) return { status: 403, message: `clip ${clipId}: only the person who submitted it may appeal its block` };
  const only = 'only a prompt blocked before generation can be appealed';
  if (clip.state !== 'BLOCKED') return { status: 409, message: `clip ${clipId} is ${clip.state}; ${only}` };
  if (clip.source !== 'prompt') return { status: 409, message: `clip ${clipId} is an upload; ${only} (a senior reviewer may override a blocked clip)` };
  if (clip.mediaSha256) return { status: 409, message: `clip ${clipId} was blocked after generation; ${only} (a senior reviewer may override a blocked clip)` };
  if (existing) return { status: 409, message: `clip ${clipId} was already appealed (the appeal is ${appealStatus(existing.decision)}); a block is appealed once` };
  return null;
}

/**
 * A pending appeal is decided once, by someone other than the submitter (a
 * person holding creator and senior_reviewer under ALLOW_CONFLICTING_ROLES
 * still cannot let their own prompt through).
 */
export function refuseAppealDecision(clipId: string, clip: AppealClip, deciderId: string, appeal: { decision: AppealDecisionKind | null } | null): AppealRefusal | null {
  if (!appeal) return { status: 404, message: `clip ${clipId} has no appeal` };
  if (appeal.decision) return { status: 409, message: `clip ${clipId}: its appeal was already ${appealStatus(appeal.decision)}` };
  if (clip.createdBy === deciderId) return { status: 403, message: `clip ${clipId}: you submitted it, so someone else must decide its appeal` };
  if (clip.state !== 'BLOCKED') return { status: 409, message: `clip ${clipId} is ${clip.state}; an appeal is decided only while its prompt is blocked` };
  return null;
}
