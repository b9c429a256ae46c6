import { z } from 'zod';
import { REVIEW_DECISIONS } from '@provenant/shared';
import { plainText } from '../http/free-text.schema';

// The review routes' request bodies. Notes and reasons are people's writing: plain text only.

/** A string field whose absence is reported as such, keeping the length checks' own messages. */
const requiredString = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : undefined) });

export const ClaimBody = z
  .object({ clipId: z.string().uuid('must be a clip id (UUID)').optional() })
  .strict()
  .meta({ examples: [{}, { clipId: '7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f' }] });
export const DecisionBody = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, { message: `must be one of ${REVIEW_DECISIONS.join(', ')}` }),
    reasonCode: requiredString('a code from the review reason catalog').min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    note: plainText(z.string().max(4000, 'must be at most 4000 characters')).optional(),
  })
  .strict()
  .meta({ examples: [{ decision: 'reject', reasonCode: 'REJECT_DECEPTIVE', note: 'staged as news footage' }, { decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' }] });
export const ReasonBody = z
  .object({ reason: plainText(requiredString('a written reason').trim().min(10, 'must be a written reason of at least 10 characters').max(4000, 'must be at most 4000 characters')) })
  .strict()
  .meta({ examples: [{ reason: 'the block was a false positive on a cooking knife' }] });
