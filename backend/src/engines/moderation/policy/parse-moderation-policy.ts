import { z } from 'zod';
import { MODERATION_CATEGORIES, ModerationCategory } from '../categories';
import { CategoryThresholds, ModerationPolicy, SEXUAL_MINORS_BLOCK_FLOOR } from './moderation-policy';
import { PolicyValidationError } from './policy-validation-error';

const score = z.number().min(0).max(1);

const thresholdsSchema = z
  .strictObject({ review: score, block: score.nullable() })
  .refine((t) => t.block === null || t.review <= t.block, { message: 'review must not be above block' });

const categoriesSchema = z.strictObject(
  Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, thresholdsSchema])) as Record<
    ModerationCategory,
    typeof thresholdsSchema
  >,
);

const policySchema = z.strictObject({
  version: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 characters of letters, digits, ".", "_" or "-"'),
  categories: categoriesSchema,
  frames: z.strictObject({
    consecutiveToBlock: z.number().int().min(1).max(100),
    consecutiveToReview: z.number().int().min(1).max(100),
  }),
  onProviderOutage: z.enum(['fail', 'fallback_local']),
});

/**
 * Validates an untrusted policy document (e.g. from the admin API) and
 * returns it typed. Throws PolicyValidationError listing every problem,
 * including an attempt to loosen the sexual/minors floor.
 */
export function parseModerationPolicy(document: unknown): ModerationPolicy {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) {
    throw new PolicyValidationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`),
    );
  }
  const minors: CategoryThresholds = parsed.data.categories['sexual/minors'];
  if (minors.block === null || minors.block > SEXUAL_MINORS_BLOCK_FLOOR) {
    throw new PolicyValidationError([
      `categories.sexual/minors.block: must be at most ${SEXUAL_MINORS_BLOCK_FLOOR} (a hard floor no policy can loosen), got ${minors.block}`,
    ]);
  }
  return parsed.data;
}
