import { foldConfusable } from './confusables';

/**
 * Normalised text keeps, for every character, the span of the original it
 * came from, so a rule that matches after normalisation can point a reviewer
 * at the exact characters that were written.
 */
export interface NormalisedText {
  original: string;
  /** Lower-case, folded, leetspeak-resolved text; see normaliseText. */
  text: string;
  /** `starts[i]`/`ends[i]`: the original UTF-16 span behind `text[i]`. */
  starts: number[];
  ends: number[];
}

/** Stands for a character that was "1", "!" or "|" inside a word: rules read it as either i or l. */
export const AMBIGUOUS_I_OR_L = '\u0001';
/** Stands for a "*" masking a letter inside a word ("k*ll"): rules read it as any letter. */
export const MASKED_LETTER = '\u0002';

interface Unit {
  ch: string;
  start: number;
  end: number;
}

// Zero-width and formatting characters, soft hyphen, bidi controls, variation selectors, tag characters.
const INVISIBLE = /^[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]$/u;
const COMBINING_MARK = /\p{M}/gu;
const APOSTROPHE = /^['`´\u2018\u2019\u02bc]$/;
const LEET: Record<string, string> = {
  '0': 'o',
  '1': AMBIGUOUS_I_OR_L,
  '!': AMBIGUOUS_I_OR_L,
  '|': AMBIGUOUS_I_OR_L,
  '3': 'e',
  '4': 'a',
  '@': 'a',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
  '€': 'e',
  '*': MASKED_LETTER,
};
// Characters people put between single letters to break up a word: "k.i.l.l", "k-i-l-l", "k i l l".
const LETTER_SEPARATOR = /^[\s.\-_·•,/\\~:]$/;
const SENTENCE_END = /^[.?!;\n\r]$/;
const LEADING_DECORATION = ['!', '|'];
const TRAILING_DECORATION = ['!', '*', '|'];
const MAX_SEPARATOR_RUN = 3;
const MIN_SPACED_LETTERS = 3;

function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

function isLetterLike(ch: string): boolean {
  return isLetter(ch) || (ch in LEET && ch !== '*' && ch !== '|');
}

/**
 * Undoes the usual evasions before rules run: zero-width and formatting
 * characters are dropped; compatibility forms (fullwidth, mathematical
 * alphanumerics) and confusable letters from other scripts fold to ASCII;
 * diacritics are stripped; apostrophes inside words are removed ("you're" →
 * "youre"); letters spaced or dotted apart ("k.i.l.l") are joined; leetspeak
 * inside words is resolved; and every run of other punctuation or spaces
 * becomes one space, or "." where it ended a sentence. Repeated letters are
 * left alone here: rules match them ("kiiill") by construction.
 */
export function normaliseText(original: string): NormalisedText {
  let units = foldCharacters(original);
  units = dropInWordApostrophes(units);
  units = joinSpacedLetters(units);
  units = resolveLeetspeak(units);
  units = collapseSeparators(units);
  return {
    original,
    text: units.map((u) => u.ch).join(''),
    starts: units.map((u) => u.start),
    ends: units.map((u) => u.end),
  };
}

/** The original text behind a span of the normalised text. */
export function originalSpan(normalised: NormalisedText, start: number, end: number): { start: number; end: number; text: string } {
  const from = normalised.starts[start];
  const to = normalised.ends[Math.max(start, end - 1)];
  return { start: from, end: to, text: normalised.original.slice(from, to) };
}

function foldCharacters(original: string): Unit[] {
  const units: Unit[] = [];
  let offset = 0;
  for (const codePoint of original) {
    const start = offset;
    offset += codePoint.length;
    if (INVISIBLE.test(codePoint)) continue;
    // Marks go before and after folding: the confusables table maps some accented letters ("ö") to other scripts.
    for (const part of stripMarks(codePoint.normalize('NFKC'))) {
      for (const ch of stripMarks(foldConfusable(part))) units.push({ ch, start, end: offset });
    }
  }
  return units;
}

function stripMarks(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARK, '');
}

function dropInWordApostrophes(units: Unit[]): Unit[] {
  return units.filter((u, i) => {
    if (!APOSTROPHE.test(u.ch)) return true;
    const before = units[i - 1]?.ch;
    const after = units[i + 1]?.ch;
    return !(before && after && isLetter(before) && isLetter(after));
  });
}

/**
 * Joins runs of at least three single letters separated by the same short
 * separator. A change of separator ends a run, so "a s.e.x.y" does not glue
 * the article on and "k i l l  y o u" stays two words.
 */
function joinSpacedLetters(units: Unit[]): Unit[] {
  const drop = new Set<number>();
  let i = 0;
  while (i < units.length) {
    if (!isSingleLetterAt(units, i)) {
      i++;
      continue;
    }
    const letters = [i];
    const gaps: number[][] = [];
    let separator: string | null = null;
    let cursor = i + 1;
    for (;;) {
      const gap: number[] = [];
      while (cursor < units.length && gap.length < MAX_SEPARATOR_RUN && LETTER_SEPARATOR.test(units[cursor].ch)) {
        gap.push(cursor++);
      }
      const text = gap.map((g) => units[g].ch).join('');
      if (gap.length === 0 || !isSingleLetterAt(units, cursor) || (separator !== null && text !== separator)) break;
      separator = text;
      gaps.push(gap);
      letters.push(cursor++);
    }
    if (letters.length >= MIN_SPACED_LETTERS) {
      for (const gap of gaps) for (const index of gap) drop.add(index);
      i = letters[letters.length - 1] + 1;
    } else {
      // The last letter of a short run may start a run with another separator.
      i = letters.length > 1 ? letters[letters.length - 1] : i + 1;
    }
  }
  return units.filter((_, index) => !drop.has(index));
}

function isSingleLetterAt(units: Unit[], i: number): boolean {
  if (i >= units.length || !isLetterLike(units[i].ch)) return false;
  const before = units[i - 1]?.ch;
  const after = units[i + 1]?.ch;
  return !(before && isLetterLike(before)) && !(after && isLetterLike(after));
}

/** Resolves leetspeak only inside words that contain a real letter, so "24/7" or "$5" stay as they are. */
function resolveLeetspeak(units: Unit[]): Unit[] {
  const out = units.map((u) => ({ ...u }));
  let i = 0;
  while (i < out.length) {
    if (!isLetter(out[i].ch) && !(out[i].ch in LEET)) {
      i++;
      continue;
    }
    let end = i;
    let hasLetter = false;
    for (; end < out.length && (isLetter(out[end].ch) || out[end].ch in LEET); end++) {
      if (isLetter(out[end].ch)) hasLetter = true;
    }
    // OCR and fast typing turn the pronoun "I" into a lone "1" or "|" before a word ("1 will kill you").
    const lonePronoun = end === i + 1 && (out[i].ch === '1' || out[i].ch === '|') && out[i + 1]?.ch === ' ' && isLetter(out[i + 2]?.ch ?? '');
    if (lonePronoun) out[i].ch = AMBIGUOUS_I_OR_L;
    if (hasLetter) {
      // A leading "!"/"|" or a trailing "!", "*", "|" decorates a word or ends a sentence more often than it
      // replaces a letter; a leading "*" usually masks one ("*ttack").
      let first = i;
      let last = end - 1;
      while (first < last && LEADING_DECORATION.includes(out[first].ch)) first++;
      while (last > first && TRAILING_DECORATION.includes(out[last].ch)) last--;
      for (let k = first; k <= last; k++) out[k].ch = LEET[out[k].ch] ?? out[k].ch;
    }
    i = end;
  }
  return out;
}

function collapseSeparators(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  let i = 0;
  while (i < units.length) {
    const u = units[i];
    if (isWordChar(u.ch)) {
      out.push(u);
      i++;
      continue;
    }
    let end = i;
    let endsSentence = false;
    for (; end < units.length && !isWordChar(units[end].ch); end++) {
      if (SENTENCE_END.test(units[end].ch)) endsSentence = true;
    }
    const atEdge = out.length === 0 || end === units.length;
    if (!atEdge) out.push({ ch: endsSentence ? '.' : ' ', start: u.start, end: units[end - 1].end });
    i = end;
  }
  return out;
}

function isWordChar(ch: string): boolean {
  return ch === AMBIGUOUS_I_OR_L || ch === MASKED_LETTER || /^[\p{L}\p{N}]$/u.test(ch);
}
