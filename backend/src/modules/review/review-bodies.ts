import { z } from 'zod';
import { REVIEW_DECISIONS } from '@provenant/shared';
import { plainText } from '../http/free-text.schema';

// The review routes' request bodies. Notes and reasons are people's writing: plain text only.

/** A string field whose absence is reported as such, keeping the length checks' own messages. */
const requiredString = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : undefined) });

export const ClaimBody = z.object({ clipId: z.string().uuid('must be a clip id (UUID)').optional() }).strict();
export const DecisionBody = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, { message: `must be one of ${REVIEW_DECISIONS.join(', ')}` }),
    reasonCode: requiredString('a code from the review reason catalog').min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    note: plainText(z.string().max(4000, 'must be at most 4000 characters')).optional(),
  })
  .strict();
export const ReasonBody = z
  .object({ reason: plainText(requiredString('a written reason').trim().min(10, 'must be a written reason of at least 10 characters').max(4000, 'must be at most 4000 characters')) })
  .strict();
