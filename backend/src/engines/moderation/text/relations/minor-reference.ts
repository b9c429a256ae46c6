import type { RelationTargetKind } from '@provenant/shared';
import { CHILD_SAFETY_WORDS, CHILD_SCHOOLING, MINOR_WORDS, SEXUALISING_WORDS, SUGGESTIVE_WORDS } from './harm-lexicon';
import { Token } from './nlp';

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
};
const CHILD_OR_TEEN_NOUNS = new Set(['girl', 'girls', 'boy', 'boys', 'daughter', 'son', 'niece', 'nephew', 'student', 'students', 'pupil', 'pupils', 'kid', 'child']);
const SCHOOL_WORDS = new Set(['grade', 'grader', 'graders', 'school', 'schooler', 'schoolers']);

interface SexualisedMinor {
  mood: 'depiction';
  act: string;
  actKind: 'sexualisation' | 'suggestive';
  target: string;
  targetKind: RelationTargetKind;
  protectedTarget: boolean;
  start: number;
  end: number;
}

/**
 * Whether the noun at `k` is a child: a child word ("toddler", "sixth-grader"),
 * "little girl", or an age under 18 or a school year only children are in,
 * said right before or after it ("my neighbour's 12-year-old", "a girl who is
 * eleven", "a boy in fifth grade").
 */
export function isMinorAt(tokens: Token[], k: number): boolean {
  const t = tokens[k];
  if (MINOR_WORDS.has(t.word)) return true;
  if (!CHILD_OR_TEEN_NOUNS.has(t.word) && !t.tags.has('Actor')) return false;
  const before = tokens.slice(Math.max(0, k - 4), k);
  if (before.some((b) => b.word === 'little' || b.word === 'young')) return CHILD_OR_TEEN_NOUNS.has(t.word);
  if (hasChildAge(before)) return true;
  const after = tokens.slice(k + 1, k + 7);
  return hasChildAge(after) || hasChildSchooling(after);
}

/** Sentences that put a child and sexualising words together, unless they are about health, safety or teaching. */
export function sexualisedMinors(tokens: Token[]): SexualisedMinor[] {
  const sexual = tokens.find((t) => SEXUALISING_WORDS.has(t.word)) ?? tokens.find((t) => SUGGESTIVE_WORDS.has(t.word));
  if (!sexual || tokens.some((t) => CHILD_SAFETY_WORDS.has(t.word))) return [];
  const minor = tokens.findIndex((_, k) => isMinorAt(tokens, k));
  const schooling = minor === -1 && hasChildSchooling(tokens) ? tokens.findIndex((t) => SCHOOL_WORDS.has(t.word)) : -1;
  const at = minor !== -1 ? minor : schooling;
  if (at === -1) return [];
  const child = tokens[at];
  return [
    {
      mood: 'depiction',
      act: sexual.word,
      actKind: SEXUALISING_WORDS.has(sexual.word) ? 'sexualisation' : 'suggestive',
      target: child.word,
      targetKind: 'minor',
      protectedTarget: false,
      start: Math.min(child.start, sexual.start),
      end: Math.max(child.end, sexual.end),
    },
  ];
}

function age(word: string): number | null {
  const n = NUMBER_WORDS[word] ?? (/^\d{1,2}$/.test(word) ? Number(word) : NaN);
  return Number.isNaN(n) ? null : n;
}

/** "12 year old", "aged 11", "age 9", "who is eleven", "(12)". */
function hasChildAge(tokens: Token[]): boolean {
  return tokens.some((t, k) => {
    const n = age(t.word);
    if (n === null || n >= 18 || n < 1) return false;
    const next = tokens[k + 1]?.word;
    const previous = tokens[k - 1]?.word;
    return next === 'year' || next === 'years' || next === 'yr' || next === 'yo' || previous === 'aged' || previous === 'age' || previous === 'is' || previous === 'just' || previous === 'turned' || previous === 'turning';
  });
}

/** "in sixth grade", "in middle school", "a 5th grader", "at elementary school", "in year 6". */
function hasChildSchooling(tokens: Token[]): boolean {
  return tokens.some((t, k) => {
    const next = tokens[k + 1]?.word ?? '';
    if (CHILD_SCHOOLING.has(t.word) && SCHOOL_WORDS.has(next)) return true;
    if ((t.word === 'grade' || t.word === 'year') && (age(next) ?? 99) <= 8) return true;
    return t.word === 'kindergarten' || t.word === 'preschool' || (t.word === 'puberty' && ['hit', 'reached', 'started', 'through'].includes(tokens[k - 1]?.word ?? ''));
  });
}
