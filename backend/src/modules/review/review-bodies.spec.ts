import { ZodBody } from '../http/zod-body.pipe';
import { DecisionBody, ReasonBody } from './review-bodies';

const refusal = (pipe: ZodBody<unknown>, body: unknown) => {
  try {
    pipe.transform(body);
    return null;
  } catch (err) {
    return (err as { getStatus(): number; message: string }).getStatus() + ' ' + (err as Error).message;
  }
};

describe('review bodies: notes and reasons are plain text', () => {
  const decision = new ZodBody(DecisionBody);
  const reason = new ZodBody(ReasonBody);

  it('accepts ordinary writing', () => {
    expect(refusal(decision, { decision: 'approve', reasonCode: 'ok', note: 'Looks fine 👍\nchecked twice' })).toBeNull();
    expect(refusal(reason, { reason: 'The block was a false positive on a cartoon.' })).toBeNull();
  });

  it.each([
    ['a C1 control', 'hidden\u0085text'],
    ['a lone surrogate', 'broken \ud83d text'],
  ])('refuses a note with %s, naming the field', (_, note) => {
    expect(refusal(decision, { decision: 'approve', reasonCode: 'ok', note })).toMatch(/^400 note: (contains control characters|is not valid UTF-8 text)$/);
  });

  it.each([
    ['a C1 control', 'a written reason with \u009b in it'],
    ['a lone surrogate', 'a written reason with \udc00 in it'],
  ])('refuses a reason with %s, naming the field', (_, text) => {
    expect(refusal(reason, { reason: text })).toMatch(/^400 reason: (contains control characters|is not valid UTF-8 text)$/);
  });
});
