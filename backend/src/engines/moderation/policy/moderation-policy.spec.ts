import { MODERATION_CATEGORIES } from '../categories';
import { applyPolicy } from './apply-policy';
import { DEFAULT_MODERATION_POLICY, ModerationPolicy, SEXUAL_MINORS_BLOCK_FLOOR } from './moderation-policy';
import { parseModerationPolicy } from './parse-moderation-policy';
import { PolicyValidationError } from './policy-validation-error';

const clone = (): ModerationPolicy => JSON.parse(JSON.stringify(DEFAULT_MODERATION_POLICY));

describe('parseModerationPolicy', () => {
  it('accepts the default policy and returns it typed', () => {
    expect(parseModerationPolicy(clone())).toEqual(DEFAULT_MODERATION_POLICY);
  });

  it('lists every problem with its path', () => {
    const doc = clone() as unknown as Record<string, any>;
    doc.version = 'has spaces';
    doc.categories.hate = { review: 0.9, block: 0.5 };
    doc.categories.violence.review = 1.5;
    delete doc.categories.illicit;
    doc.categories.spam = { review: 0.1, block: 0.2 };
    doc.frames.consecutiveToBlock = 0;
    const error = (() => {
      try {
        parseModerationPolicy(doc);
      } catch (e) {
        return e as PolicyValidationError;
      }
      throw new Error('expected a validation error');
    })();
    expect(error).toBeInstanceOf(PolicyValidationError);
    const text = error.issues.join('\n');
    expect(text).toContain('version:');
    expect(text).toContain('categories.hate: review must not be above block');
    expect(text).toContain('categories.violence.review');
    expect(text).toContain('categories.illicit');
    expect(text).toContain('spam');
    expect(text).toContain('frames.consecutiveToBlock');
  });

  it('refuses to loosen the sexual/minors floor', () => {
    const lenient = clone();
    lenient.categories['sexual/minors'] = { review: 0.3, block: 0.9 };
    expect(() => parseModerationPolicy(lenient)).toThrow(`must be at most ${SEXUAL_MINORS_BLOCK_FLOOR}`);
    lenient.categories['sexual/minors'] = { review: 0.3, block: null };
    expect(() => parseModerationPolicy(lenient)).toThrow(PolicyValidationError);
    const stricter = clone();
    stricter.categories['sexual/minors'] = { review: 0.05, block: 0.1 };
    expect(parseModerationPolicy(stricter).categories['sexual/minors'].block).toBe(0.1);
  });
});

describe('applyPolicy', () => {
  it('maps scores to allow, review and block per category and takes the worst overall', () => {
    const decision = applyPolicy({ hate: 0.6, violence: 0.2, illicit: 0.86 }, DEFAULT_MODERATION_POLICY);
    expect(decision.categories.hate.verdict).toBe('review');
    expect(decision.categories.violence.verdict).toBe('allow');
    expect(decision.categories.illicit).toEqual({ score: 0.86, threshold: { review: 0.5, block: 0.85 }, verdict: 'block' });
    expect(decision.verdict).toBe('block');
    expect(Object.keys(decision.categories)).toHaveLength(MODERATION_CATEGORIES.length);
  });

  it('never blocks on a category that never blocks or on an advisory signal, except sexual/minors', () => {
    const policy = clone();
    policy.categories.violence = { review: 0.4, block: null };
    expect(applyPolicy({ violence: 1 }, policy).verdict).toBe('review');
    expect(applyPolicy({ sexual: 0.99 }, policy, { reviewOnly: ['sexual'] }).verdict).toBe('review');
    expect(applyPolicy({ 'sexual/minors': 0.99 }, policy, { reviewOnly: ['sexual/minors'] }).verdict).toBe('block');
  });

  it('enforces the sexual/minors floor even for a policy object that skipped validation', () => {
    const unvalidated = clone();
    unvalidated.categories['sexual/minors'] = { review: 0.9, block: null };
    const decision = applyPolicy({ 'sexual/minors': SEXUAL_MINORS_BLOCK_FLOOR }, unvalidated);
    expect(decision.categories['sexual/minors'].verdict).toBe('block');
    expect(decision.categories['sexual/minors'].threshold).toEqual({ review: SEXUAL_MINORS_BLOCK_FLOOR, block: SEXUAL_MINORS_BLOCK_FLOOR });
  });
});
