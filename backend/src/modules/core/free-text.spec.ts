import { freeTextProblem } from './free-text';

describe('freeTextProblem', () => {
  it.each([
    ['plain text', 'a cat on a skateboard'],
    ['tab and newline', 'line one\n\tline two'],
    ['non-Latin scripts', 'кошка на скейтборде 猫'],
    ['a surrogate pair (emoji)', 'a cat 🐈 on a board'],
    ['U+00A0 and later Latin-1', 'caf\u00e9\u00a0au lait'],
  ])('accepts %s', (_, text) => expect(freeTextProblem(text)).toBeNull());

  it.each([
    ['a C0 control', 'bell\u0007'],
    ['DEL', 'x\u007f'],
    ['U+0080 (C1)', 'x\u0080y'],
    ['U+0085 NEXT LINE (C1)', 'x\u0085y'],
    ['U+009F (C1)', 'x\u009f'],
  ])('refuses %s as control characters', (_, text) => expect(freeTextProblem(text)).toBe('contains control characters'));

  it.each([
    ['a lone high surrogate', 'x\ud83dy'],
    ['a lone high surrogate at the end', 'x\ud83d'],
    ['a lone low surrogate', '\udc08x'],
    ['reversed surrogates', 'x\udc08\ud83d'],
    ['U+FFFD (a decoding already failed)', 'x\ufffd'],
  ])('refuses %s as invalid text', (_, text) => expect(freeTextProblem(text)).toBe('is not valid UTF-8 text'));
});
