import { appealReason, type ClipAppealDto } from '@provenant/shared';
import { appealStatus } from './appeal-rules';
import type { PromptAppealRecord } from './prompt-appeal.repository';

/** The appeal as the API shows it; who decided is shown to staff only, the decider's note never. */
export function clipAppealDto(a: PromptAppealRecord, staff: boolean): ClipAppealDto {
  return {
    status: appealStatus(a.decision),
    appealedAt: a.appealedAt.toISOString(),
    reason: a.reason,
    decision:
      a.decision && a.reasonCode && a.decidedAt
        ? {
            decision: a.decision,
            reasonCode: a.reasonCode,
            reasonLabel: appealReason(a.decision, a.reasonCode)?.label ?? null,
            reasonCatalogVersion: a.reasonCatalogVersion!,
            deciderId: staff ? a.decidedBy : null,
            at: a.decidedAt.toISOString(),
          }
        : null,
  };
}
