import { z } from 'zod';
import { LIKENESS_NAME_LIMITS, LIKENESS_SUBJECT_KINDS } from '@provenant/shared';
import { plainText } from '../http/free-text.schema';
import { isIsoTime } from '../http/query-params';

// The likeness routes' request bodies.

const name = () =>
  plainText(
    z
      .string({ error: (issue) => (issue.input === undefined ? 'is required: the name the person is known by' : 'must be text') })
      .trim()
      .min(LIKENESS_NAME_LIMITS.minLength, `must be at least ${LIKENESS_NAME_LIMITS.minLength} characters`)
      .max(LIKENESS_NAME_LIMITS.maxLength, `must be at most ${LIKENESS_NAME_LIMITS.maxLength} characters`),
  );

export const LikenessSubjectBody = z
  .object({
    kind: z.enum(LIKENESS_SUBJECT_KINDS, { message: `must be one of ${LIKENESS_SUBJECT_KINDS.join(', ')}` }),
    displayName: name(),
    aliases: z.array(name()).max(LIKENESS_NAME_LIMITS.maxAliases, `at most ${LIKENESS_NAME_LIMITS.maxAliases} aliases`).default([]),
    distinctive: z.boolean({ message: 'must be true or false' }).default(false),
  })
  .strict()
  .meta({ examples: [{ kind: 'protected', displayName: 'Ada Quinlan', aliases: ['A. Quinlan'] }] });

export const LikenessGrantBody = z
  .object({
    creatorId: z.string().uuid('must be a user id (UUID)').optional(),
    everyone: z.literal(true, { message: 'must be true when given' }).optional(),
    until: z.string().refine(isIsoTime, 'must be an ISO 8601 time such as 2027-01-31T12:00:00Z').optional(),
  })
  .strict()
  .meta({ examples: [{ creatorId: '7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f', until: '2027-06-30T00:00:00Z' }, { everyone: true }] });
