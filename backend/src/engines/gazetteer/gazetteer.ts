import { AMBIGUOUS_I_OR_L, MASKED_LETTER, normaliseText, originalSpan, type NormalisedText } from '../moderation/text/text-normaliser';

/** A name to look for: a person's name or alias, a protected character, a franchise. */
export interface GazetteerEntry {
  /** The caller's id (a subject, a work term); several entries may share one. */
  id: string;
  phrase: string;
  /**
   * Single-word phrases are matched only when marked distinctive ("Pikachu"
   * yes, "Taylor" no): a common word alone would flag half the prompts.
   */
  distinctive?: boolean;
}

export interface GazetteerMatch {
  entryId: string;
  phrase: string;
  /** The characters of the original text that matched. */
  matched: { start: number; end: number; text: string };
  /** `joined`: a multi-word phrase written as one word ("#TaylorSwift"). */
  form: 'words' | 'joined';
}

/** A phrase that cannot be matched: it has no letters or digits once normalised. */
export class GazetteerPhraseError extends Error {
  constructor(readonly phrase: string) {
    super(`the phrase "${phrase}" has no letters or digits to match`);
    this.name = 'GazetteerPhraseError';
  }
}

interface Token {
  text: string;
  /** Span in the normalised text. */
  start: number;
  end: number;
}

interface IndexedPhrase {
  entry: GazetteerEntry;
  tokens: string[];
}

const WORD_CHAR = /[\p{L}\p{N}\u0001\u0002]/u;
const APOSTROPHE = /['`´\u2018\u2019\u02bc]/;

/** The words of a phrase after the moderation normaliser: what the gazetteer compares. */
export function phraseTokens(phrase: string): string[] {
  return tokenise(normaliseText(phrase)).map((t) => t.text);
}

/**
 * Finds registered names in free text, after the moderation normaliser has
 * undone case, diacritics, confusable letters, leetspeak and spaced-out
 * letters: every occurrence of every phrase, as whole words ("Tom Hanks",
 * "tom hanks's", "T0m  H@nks", "#TomHanks"), never inside another word
 * ("Tomahawk"). One matcher for every registry that names things.
 */
export class Gazetteer {
  /** Phrases by their first word. */
  private readonly byFirstWord = new Map<string, IndexedPhrase[]>();
  /** Multi-word phrases by their words written together. */
  private readonly joined = new Map<string, IndexedPhrase[]>();
  readonly size: number;

  constructor(entries: readonly GazetteerEntry[]) {
    let size = 0;
    for (const entry of entries) {
      const tokens = phraseTokens(entry.phrase);
      if (tokens.length === 0) throw new GazetteerPhraseError(entry.phrase);
      if (tokens.length === 1 && !entry.distinctive) continue;
      const indexed = { entry, tokens };
      push(this.byFirstWord, tokens[0], indexed);
      if (tokens.length > 1) push(this.joined, tokens.join(''), indexed);
      size++;
    }
    this.size = size;
  }

  find(text: string): GazetteerMatch[] {
    const normalised = normaliseText(text);
    const words = tokenise(normalised);
    const found = new Map<string, GazetteerMatch>();
    const add = (indexed: IndexedPhrase, first: number, last: number, form: GazetteerMatch['form']) => {
      const matched = originalSpan(normalised, words[first].start, words[last].end);
      const key = `${indexed.entry.id}\u0000${indexed.entry.phrase}\u0000${matched.start}`;
      if (!found.has(key)) found.set(key, { entryId: indexed.entry.id, phrase: indexed.entry.phrase, matched, form });
    };
    words.forEach((word, i) => {
      for (const indexed of this.candidates(word.text)) {
        const last = i + indexed.tokens.length - 1;
        if (last < words.length && indexed.tokens.every((t, k) => sameWord(words[i + k], t, normalised, i + k === last))) add(indexed, i, last, 'words');
      }
      for (const indexed of this.joined.get(word.text) ?? []) add(indexed, i, i, 'joined');
      const possessive = withoutPossessive(word, normalised);
      if (possessive) for (const indexed of this.joined.get(possessive) ?? []) add(indexed, i, i, 'joined');
    });
    return [...found.values()].sort((a, b) => a.matched.start - b.matched.start || b.matched.end - a.matched.end);
  }

  private candidates(word: string): IndexedPhrase[] {
    // A one-word phrase may carry a possessive "s" ("Pikachu's" → "pikachus").
    const keys = [...spellings(word), ...spellings(word.slice(0, -1))];
    return [...new Set(keys.flatMap((key) => this.byFirstWord.get(key) ?? []))];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function tokenise(normalised: NormalisedText): Token[] {
  const tokens: Token[] = [];
  const text = normalised.text;
  let i = 0;
  while (i < text.length) {
    if (!WORD_CHAR.test(text[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && WORD_CHAR.test(text[i])) i++;
    tokens.push({ text: text.slice(start, i), start, end: i });
  }
  return tokens;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Enough for "T1ff*ny"-style spellings; a word with more wildcards is looked up as written, so a hostile prompt costs no more. */
const MAX_SPELLINGS = 64;

/** The words a word with wildcards may stand for ("ta\u0001lor" → "tailor", "tallor"), itself when it has none. */
function spellings(word: string): string[] {
  let out = [''];
  for (const ch of word) {
    const options = ch === AMBIGUOUS_I_OR_L ? 'il' : ch === MASKED_LETTER ? LETTERS : ch;
    if (options.length > 1 && out.length * options.length > MAX_SPELLINGS) return [word];
    out = out.flatMap((prefix) => [...options].map((o) => prefix + o));
  }
  return out;
}

/** The word without a possessive "'s" the normaliser glued on ("hanks's" → "hanks's" minus "'s"), or null. */
function withoutPossessive(word: Token, normalised: NormalisedText): string | null {
  if (word.text.length < 2 || !word.text.endsWith('s')) return null;
  const sAt = word.end - 1;
  const before = normalised.original[normalised.starts[sAt] - 1];
  return before !== undefined && APOSTROPHE.test(before) ? word.text.slice(0, -1) : null;
}

function sameWord(word: Token, phraseWord: string, normalised: NormalisedText, isLast: boolean): boolean {
  if (lettersMatch(word.text, phraseWord)) return true;
  // Only the last word of a phrase takes a possessive: "Tom Hanks's", not "Toms Hanks".
  const bare = isLast ? withoutPossessive(word, normalised) : null;
  return bare !== null && lettersMatch(bare, phraseWord);
}

function lettersMatch(written: string, phraseWord: string): boolean {
  if (written.length !== phraseWord.length) return false;
  for (let i = 0; i < written.length; i++) {
    const w = written[i];
    const p = phraseWord[i];
    if (w === p) continue;
    if (w === AMBIGUOUS_I_OR_L && (p === 'i' || p === 'l')) continue;
    if (w === MASKED_LETTER && /\p{L}/u.test(p)) continue;
    return false;
  }
  return true;
}
