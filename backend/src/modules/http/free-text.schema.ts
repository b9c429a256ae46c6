import { z } from 'zod';
import { freeTextProblem } from '../core/free-text';

/** A zod check that a string field is plain text (no control characters, valid UTF-8), naming the problem. */
export const plainText = <S extends z.ZodString>(schema: S) =>
  schema.superRefine((value, ctx) => {
    const problem = freeTextProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
