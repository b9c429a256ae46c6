import { AMBIGUOUS_I_OR_L, MASKED_LETTER, normaliseText, originalSpan } from './text-normaliser';

const norm = (s: string) => normaliseText(s).text;

describe('normaliseText', () => {
  it('lower-cases and collapses punctuation and spaces', () => {
    expect(norm('  Hello,   World!  How are you? ')).toBe('hello world.how are you');
  });

  it('drops zero-width and formatting characters', () => {
    expect(norm('ki\u200bl\u200dl your\u2060self\ufeff')).toBe('kill yourself');
  });

  it('folds fullwidth, mathematical and enclosed letters', () => {
    expect(norm('ｋｉｌｌ 𝐲𝐨𝐮𝐫𝐬𝐞𝐥𝐟 🅺🅸🅻🅻')).toBe('kill yourself kill');
  });

  it('folds Cyrillic and Greek homoglyphs and small capitals', () => {
    expect(norm('Кіll уоursеlf')).toBe('kill yourself');
    expect(norm('ᴋɪʟʟ')).toBe('kill');
  });

  it('strips diacritics, including stacked combining marks', () => {
    expect(norm('kíll yöürsélf')).toBe('kill yourself');
    expect(norm('k\u0301\u0302i\u0300ll')).toBe('kill');
  });

  it('resolves leetspeak inside words only', () => {
    expect(norm('k1ll y0ur53lf')).toBe(`k${AMBIGUOUS_I_OR_L}ll yourself`);
    expect(norm('open 24/7 for $5')).toBe('open 24 7 for 5');
    expect(norm('1 will kill you')).toBe(`${AMBIGUOUS_I_OR_L} will kill you`);
    expect(norm('1 2 3 go')).toBe('1 2 3 go');
    expect(norm('f**k off!')).toBe(`f${MASKED_LETTER}${MASKED_LETTER}k off`);
  });

  it('joins letters spaced or dotted apart, but not ordinary single-letter words', () => {
    expect(norm('k i l l y o u r s e l f')).toBe('killyourself');
    expect(norm('k i l l  y o u r s e l f')).toBe('kill yourself');
    expect(norm('a s.e.x.y pose')).toBe('a sexy pose');
    expect(norm('k.i.l.l him')).toBe('kill him');
    expect(norm('I am a person')).toBe('i am a person');
  });

  it('removes apostrophes inside words', () => {
    expect(norm("you're what I’m")).toBe('youre what im');
  });

  it('maps every normalised character back to the original span', () => {
    const original = 'Please, K\u200b-і-l-l  them now';
    const n = normaliseText(original);
    const at = n.text.indexOf('kill');
    expect(at).toBeGreaterThanOrEqual(0);
    const span = originalSpan(n, at, at + 4);
    expect(span.text).toBe('K\u200b-і-l-l');
    expect(original.slice(span.start, span.end)).toBe(span.text);
  });

  it('leaves other scripts in place for the script check', () => {
    expect(norm('日本語 中文')).toBe('日本語 中文');
  });
});
