import { z } from 'zod';
import { APPEAL_DECISIONS, APPEAL_TEXT_LIMITS } from '@provenant/shared';
import { plainText } from '../http/free-text.schema';

// The appeal routes' request bodies. Reasons and notes are people's writing: plain text, bounded.

const writing = (what: string) =>
  plainText(
    z
      .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : 'must be text') })
      .trim()
      .min(APPEAL_TEXT_LIMITS.min, `must be ${what} of at least ${APPEAL_TEXT_LIMITS.min} characters`)
      .max(APPEAL_TEXT_LIMITS.max, `must be at most ${APPEAL_TEXT_LIMITS.max} characters`),
  );

export const AppealBody = z
  .object({ reason: writing('a written reason') })
  .strict()
  .meta({ examples: [{ reason: 'a boxing match: the blood is a sports injury, not glorified violence' }] });

export const AppealDecisionBody = z
  .object({
    decision: z.enum(APPEAL_DECISIONS, { message: `must be one of ${APPEAL_DECISIONS.join(', ')}` }),
    reasonCode: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required: a code from the appeal reason catalog' : 'must be text') })
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters'),
    note: writing('a written note'),
  })
  .strict()
  .meta({ examples: [{ decision: 'grant', reasonCode: 'GRANT_LEGITIMATE_CONTEXT', note: 'a sports scene; no glorification' }] });
