import type { ReviewPriority, ReviewQueueItemDto } from '@provenant/shared';
import { dueText } from '../../shared/ui/countdown';

export interface QueueRow {
  clipId: string;
  priority: ReviewPriority;
  due: string;
  overdue: boolean;
  /** Who holds the claim: "you", a short reviewer id, or "free". */
  holder: string;
  heldByMe: boolean;
  approvals: string;
  /** Why it is in review and what it still needs, in words. */
  notes: string[];
}

export const shortId = (id: string): string => id.slice(0, 8);

/** The queue as the workbench shows it at `now` (the due countdown is recomputed every tick). */
export function queueRows(items: readonly ReviewQueueItemDto[], now: number, myId: string | null): QueueRow[] {
  return items.map((item) => {
    const heldByMe = item.claim?.reviewerId === myId;
    const overdue = Date.parse(item.dueAt) < now;
    const notes = [
      ...(item.flagged ? ['flagged by a check'] : []),
      ...(item.escalated ? ['escalated'] : []),
      ...(item.cause === 'blocked_override' ? ['block overridden'] : item.cause === 'rejection_reopen' ? ['reopened rejection'] : []),
      ...(item.seniorApprovalNeeded ? ['needs a senior reviewer'] : []),
    ];
    return {
      clipId: item.clipId,
      priority: item.priority,
      due: dueText(item.dueAt, now),
      overdue,
      holder: !item.claim ? 'free' : heldByMe ? 'you' : `reviewer ${shortId(item.claim.reviewerId)}`,
      heldByMe,
      approvals: `${item.approvals} of ${item.approvalsNeeded}`,
      notes,
    };
  });
}
