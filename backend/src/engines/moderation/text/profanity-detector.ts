import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { CategoryScores } from '../categories';
import { compileTemplates } from './rule-template';
import { AMBIGUOUS_I_OR_L, MASKED_LETTER } from './text-normaliser';
import type { RuleMatch } from './local-text-classifier';

type TermClass = 'slur' | 'mild-slur' | 'explicit' | 'anatomy' | 'insult';

/** How each term of obscenity's English dataset counts towards the categories. */
const TERM_CLASSES: Record<string, TermClass> = {
  abo: 'slur', abeed: 'slur', africoon: 'slur', arabush: 'slur', boonga: 'slur', chingchong: 'slur', chink: 'slur',
  dyke: 'slur', fag: 'slur', kike: 'slur', nigger: 'slur', tranny: 'slur', retard: 'slur', spastic: 'slur',
  negro: 'mild-slur',
  anal: 'explicit', blowjob: 'explicit', buttplug: 'explicit', cum: 'explicit', deepthroat: 'explicit', dildo: 'explicit',
  doggystyle: 'explicit', 'double penetration': 'explicit', felch: 'explicit', fellatio: 'explicit', 'finger bang': 'explicit',
  fisting: 'explicit', gangbang: 'explicit', handjob: 'explicit', hentai: 'explicit', 'jerk off': 'explicit', jizz: 'explicit',
  lubejob: 'explicit', masturbate: 'explicit', orgasm: 'explicit', orgy: 'explicit', porn: 'explicit', bestiality: 'explicit',
  incest: 'explicit',
  penis: 'anatomy', vagina: 'anatomy', anus: 'anatomy', boob: 'anatomy', tit: 'anatomy', semen: 'anatomy', ejaculate: 'anatomy',
  arse: 'insult', ass: 'insult', bastard: 'insult', bitch: 'insult', bollocks: 'insult', cock: 'insult', cunt: 'insult',
  dick: 'insult', prick: 'insult', pussy: 'insult', slut: 'insult', twat: 'insult', whore: 'insult', cuck: 'insult',
  hooker: 'insult', shit: 'insult', piss: 'insult', turd: 'insult', wank: 'insult', fuck: 'insult',
};
// Not scored from the word alone: "sex", "rape" and "scat" are common in news, health and music; rules handle them in context.

const UNDIRECTED: Record<TermClass, CategoryScores> = {
  slur: { hate: 0.6 },
  'mild-slur': { hate: 0.3 },
  explicit: { sexual: 0.55 },
  anatomy: { sexual: 0.25 },
  insult: { harassment: 0.35 },
};
/** Aimed at "you" within a few words, an insult or slur is harassment. */
const DIRECTED: Record<TermClass, CategoryScores> = {
  slur: { hate: 0.7, harassment: 0.85 },
  'mild-slur': { hate: 0.5, harassment: 0.6 },
  explicit: { sexual: 0.55, harassment: 0.5 },
  anatomy: { sexual: 0.25 },
  insult: { harassment: 0.8 },
};

const SECOND_PERSON = new Set(['you', 'u', 'ur', 'youre', 'your', 'ya', 'yall', 'yourself', 'urself']);
const DIRECTED_WINDOW_WORDS = 3;
const ALLOWED_SUFFIXES = new Set(['', 's', 'es', 'ed', 'er', 'ers', 'ing', 'y', 'ies', 'ty', 'head', 'heads', 'hole', 'holes', 'bag', 'face', 'tard']);
/** Dropped-g spellings ("fuckin") only for insults: "cumin" is a spice. */
const INSULT_SUFFIXES = new Set([...ALLOWED_SUFFIXES, 'in', 'ign']);
const ALLOWED_PREFIXES = new Set(['', 'mother', 'motha', 'dumb', 'bull', 'jack', 'dip', 'horse', 'smart', 'fat', 'lame', 'bad', 'dick', 'ass', 'cock', 'shit', 'butt', 'holy', 'dog', 'cum']);

/** Set phrases in which a listed word is innocent ("magna cum laude", "Moby Dick"). */
const BENIGN_COLLOCATIONS = compileTemplates(
  [
    '{magna|summa} cum laude',
    'cum laude',
    'anal {retentive|fissure*|gland*|canal|sphincter|cancer|fistula}',
    '{moby|philip k|philip} dick',
    'dick {van dyke|tracy|cheney|grayson}',
    'cock a doodle doo',
    '{weather|weathercock|stop|ball} cock',
    'pussy {willow*|cat*|foot*}',
    '{blue|great|coal|marsh} tit*',
    'tit for tat',
    'pin prick*',
    'prick* {my|your|his|her|their|a} finger*',
    'fag end*',
    'hooker {furniture|dock|at the {bar|line}}',
    'piss {poor|take}',
    'taking the piss',
  ],
  {},
);

/**
 * Profanity, slurs and explicit terms through `obscenity`, which already
 * resolves its own variants (leetspeak, repeats, censoring asterisks).
 * A term counts only as a whole word (with common inflections and insult
 * compounds), so "cockpit" or "cumin" are not words it scores.
 */
export class ProfanityDetector {
  private readonly matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

  detect(normalised: string): RuleMatch[] {
    // obscenity reads leetspeak itself; give it the letters our placeholders stand for.
    const plain = normalised.replaceAll(AMBIGUOUS_I_OR_L, 'i').replaceAll(MASKED_LETTER, '*');
    const benign = [...plain.matchAll(BENIGN_COLLOCATIONS)].map((m) => [m.index, m.index + m[0].length]);
    const matches: RuleMatch[] = [];
    const seen = new Set<string>();
    for (const match of this.matcher.getAllMatches(plain, true)) {
      const word = englishDataset.getPayloadWithPhraseMetadata(match).phraseMetadata?.originalWord;
      const termClass = word ? TERM_CLASSES[word] : undefined;
      if (!word || !termClass) continue;
      const start = match.startIndex;
      const end = match.endIndex + 1;
      if (!isWholeWord(plain, start, end, termClass === 'insult' ? INSULT_SUFFIXES : ALLOWED_SUFFIXES)) continue;
      if (benign.some(([from, to]) => start < to && end > from)) continue;
      const key = `${start}:${word}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const directed = isDirectedAtSecondPerson(plain, start, end);
      matches.push({
        ruleId: `profanity.${termClass}.${word.replace(/ /g, '-')}${directed ? '.directed' : ''}.v1`,
        scores: (directed ? DIRECTED : UNDIRECTED)[termClass],
        start,
        end,
        benignFraming: false,
      });
    }
    return matches;
  }
}

function isWholeWord(text: string, start: number, end: number, suffixes: Set<string>): boolean {
  const wordStart = wordBoundaryBefore(text, start);
  const wordEnd = wordBoundaryAfter(text, end);
  return ALLOWED_PREFIXES.has(text.slice(wordStart, start)) && suffixes.has(text.slice(end, wordEnd));
}

function wordBoundaryBefore(text: string, index: number): number {
  let i = index;
  while (i > 0 && isWordChar(text[i - 1])) i--;
  return i;
}

function wordBoundaryAfter(text: string, index: number): number {
  let i = index;
  while (i < text.length && isWordChar(text[i])) i++;
  return i;
}

function isWordChar(ch: string): boolean {
  return /[\p{L}\p{N}*]/u.test(ch);
}

function isDirectedAtSecondPerson(text: string, start: number, end: number): boolean {
  const sentenceStart = text.lastIndexOf('.', start - 1) + 1;
  const nextStop = text.indexOf('.', end);
  const sentenceEnd = nextStop === -1 ? text.length : nextStop;
  const before = text.slice(sentenceStart, start).split(' ').filter(Boolean).slice(-DIRECTED_WINDOW_WORDS);
  const after = text.slice(end, sentenceEnd).split(' ').filter(Boolean).slice(0, DIRECTED_WINDOW_WORDS + 1);
  return [...before, ...after].some((w) => SECOND_PERSON.has(w));
}
