import type { RelationMood, RelationTargetKind } from '@provenant/shared';
import {
  ActKind,
  BODY_PARTS,
  CONTEST_WORDS,
  DATIVE_OBJECTS,
  DEATH_WORDS,
  DEPICTION_MARKERS,
  DESIRE_MARKERS,
  FIRST_PERSON,
  FRAMING_WORDS,
  FUTURE_MARKERS,
  GROUPS,
  HARM_ACTS,
  HarmAct,
  HOW_TO_MARKERS,
  IMPERATIVE_LEAD_INS,
  OBLIGATION_MARKERS,
  OTHER_PEOPLE_AS_SUBJECT,
  ROLES,
  SENSITIVE_PLACES,
  SEXUALISING_WORDS,
  SUGGESTIVE_WORDS,
  WISH_MARKERS,
} from './harm-lexicon';
import { isMinorAt, sexualisedMinors } from './minor-reference';
import { inflections, parseSentences, Token } from './nlp';

/** A harmful act aimed at someone, as the sentence structure says it (speaker/intent → act → target). */
export interface HarmRelation {
  mood: RelationMood;
  /** The act's lemma ("kill", "blow up"). */
  act: string;
  actKind: ActKind;
  /** The target as written ("John Smith", "my boss", "the mosque"). */
  target: string;
  targetKind: RelationTargetKind;
  /** The target is a group protected against hate, or a place of worship. */
  protectedTarget: boolean;
  /** The sentence frames it as a story, report, lesson, game, recipe or treatment. */
  framed: boolean;
  /** Span of the parsed text from the speaker or act to the target. */
  start: number;
  end: number;
}

interface Target {
  text: string;
  kind: RelationTargetKind;
  protectedTarget: boolean;
  index: number;
  start: number;
  end: number;
}

let forms: Map<string, HarmAct[]> | null = null;
const PLACES_OF_WORSHIP = new Set(['mosque', 'synagogue', 'church', 'temple', 'gurdwara']);
const SECOND_PERSON = new Set(['you', 'u', 'ya', 'yall', 'ye']);
const THIRD_PERSON_OBJECT = new Set(['him', 'her', 'them', 'em', 'someone', 'somebody']);
const THIRD_PERSON_SUBJECT = new Set(['he', 'she', 'they']);
const POSSESSIVE_PRONOUNS: Record<string, RelationTargetKind> = { his: 'pronoun', her: 'pronoun', their: 'pronoun', your: 'you' };
const SKIPPABLE_BEFORE_OBJECT = new Set(['all', 'every', 'each', 'some', 'those', 'these', 'of', 'the', 'a', 'an', 'that', 'this', 'few', 'whole', 'own', 'damn', 'fucking', 'little', 'old']);
const PASSIVE_AUXILIARIES = new Set(['be', 'is', 'are', 'was', 'were', 'been', 'being', 'get', 'gets', 'got', 'getting', 'gotten', 'am', 'is']);
const NEGATIONS = new Set(['not', 'never', 'no', 'nobody', 'stop', 'prevent', 'avoid', 'refuse']);
const BULLET_VERBS = new Set(['put', 'pump', 'send', 'fire', 'lodge']);
const BULLETS = new Set(['bullet', 'bullets', 'round', 'rounds', 'slug', 'slugs']);
const THREAT_FRAMES = new Set(['threatening', 'threaten', 'threatens', 'vowing', 'promising', 'swearing']);
const SEEING_WORDS = new Set(['see', 'watch', 'want', 'need', 'like', 'love']);
const IDIOM_FILLERS = new Set(['crap', 'shit', 'hell', 'daylights', 'snot', 'piss']);
const RELATIVE_WORDS = new Set(['that', 'which', 'where', 'who', 'whom']);
const CONTENT_NOUNS = new Set('tiktok post story note song poem letter message tweet thread meme ad speech chant rap verse caption comic script'.split(' '));
const CAPABILITY = new Set(['can', 'could', 'would', 'might', 'may', 'shall']);
const PARTICLES_THAT_UNDO = new Map([
  ['kick', ['out', 'off']],
  ['hit', ['up', 'back']],
  ['cut', ['off', 'out', 'in']],
  ['take', ['to', 'for', 'on']],
  ['beat', ['at', 'in']],
]);

/**
 * Finds threats, incitement and requests to depict harm as relations over
 * compromise's tokens and tags: an act word in any inflection (its lemma from
 * compromise's conjugator), its target found by position (the object after an
 * active verb, the subject before a passive one or before "die"), and the
 * mood from the words governing it: a first-person subject with a future or
 * desire ("I'm going to", "we want to") is intent; no subject is an
 * instruction; "someone should" is incitement; "X should be shot", "I hope X
 * dies" is a wish; "how to" is a request for instructions; a film or picture
 * of the speaker doing it is a threat in disguise. Past or present
 * narration by a third party ("Brutus stabbed Caesar") is not a relation.
 */
export function analyseHarm(text: string): HarmAnalysis {
  const relations: HarmRelation[] = [];
  const harmlessActs: Span[] = [];
  for (const tokens of candidateSentences(text).flatMap((c) => parseSentences(c.text, c.offset))) {
    const framed = tokens.some((t) => t.tags.has('Noun') && FRAMING_WORDS.has(t.word));
    for (let i = 0; i < tokens.length; i++) {
      for (const found of relationsAt(tokens, i, harmlessActs)) relations.push({ ...found, framed });
    }
    for (const minor of sexualisedMinors(tokens)) relations.push({ ...minor, framed: false });
  }
  return { relations, harmlessActs };
}

/**
 * Sentences holding a word a relation can start from (an act in any inflection, dying, a
 * sexualising word): only those are parsed, since compromise costs milliseconds a sentence
 * and most of a long prompt has none.
 */
function candidateSentences(text: string): Array<{ text: string; offset: number }> {
  const triggers = triggerWords();
  const out: Array<{ text: string; offset: number }> = [];
  for (const m of text.matchAll(/[^.!?\n]+[.!?\n]*/g)) {
    const words = m[0].toLowerCase().match(/\p{L}+/gu) ?? [];
    if (words.some((w) => triggers.has(w))) out.push({ text: m[0], offset: m.index });
  }
  return out;
}

let triggers: Set<string> | null = null;

function triggerWords(): Set<string> {
  triggers ??= new Set([...actForms().keys(), ...DEATH_WORDS, ...BULLET_VERBS, 'set', 'sets', 'setting', ...SEXUALISING_WORDS, ...SUGGESTIVE_WORDS]);
  return triggers;
}

export interface Span {
  start: number;
  end: number;
}

export interface HarmAnalysis {
  relations: HarmRelation[];
  /**
   * Act words aimed at a person that the structure reads as harmless: "shoot you a text",
   * "beat him at chess", "kick her out". Phrase rules that fired on them are damped.
   */
  harmlessActs: Span[];
}

function relationsAt(tokens: Token[], i: number, harmlessActs: Span[]): Array<Omit<HarmRelation, 'framed'>> {
  const word = tokens[i].word;
  if (DEATH_WORDS.has(word)) {
    const target = targetBefore(tokens, i);
    const mood = target && wishMood(tokens, target.index, i);
    return target && mood ? [relation(mood, 'die', 'killing', target, tokens, i)] : [];
  }
  if (BULLET_VERBS.has(word)) return bulletRelation(tokens, i);
  if (word === 'set' || word === 'sets' || word === 'setting') return setOnFire(tokens, i);
  const candidates = (actForms().get(word) ?? []).filter((act) => !act.particle || tokens[i + 1]?.word === act.particle);
  if (candidates.length === 0 || !verbLike(tokens, i)) return [];
  const out: Array<Omit<HarmRelation, 'framed'>> = [];
  const seenKinds = new Set<string>();
  for (const act of candidates.sort((a, b) => (b.particle ? 1 : 0) - (a.particle ? 1 : 0))) {
    const last = act.particle ? i + 1 : i;
    const passive = isPassive(tokens, i) || seenDone(tokens, i);
    const target = passive ? targetBefore(tokens, i) : targetAfter(tokens, last, act);
    const harmless = () => {
      if (!harmlessActs.some((h) => h.start === tokens[i].start)) harmlessActs.push({ start: tokens[i].start, end: tokens[i].end });
    };
    if (target === 'harmless') harmless();
    if (!target || target === 'harmless' || !fits(act, target, tokens)) continue;
    if ((act.competitive && contestNearby(tokens, i)) || PARTICLES_THAT_UNDO.get(act.lemma)?.includes(tokens[target.index + 1]?.word ?? '')) {
      harmless();
      continue;
    }
    const mood = passive ? wishMood(tokens, target.index, i) ?? depictionMood(tokens, i, target) : activeMood(tokens, i, target);
    if (!mood || seenKinds.has(act.kind)) continue;
    seenKinds.add(act.kind);
    const name = act.particle ? `${act.lemma} ${act.particle}` : act.lemma;
    out.push(relation(mood, name, act.kind, target, tokens, i));
  }
  return out;
}

/** "put a bullet in my boss's head", "pump two rounds into him": shooting said with a noun. */
function bulletRelation(tokens: Token[], i: number): Array<Omit<HarmRelation, 'framed'>> {
  const bullet = tokens.slice(i + 1, i + 4).findIndex((t) => BULLETS.has(t.word));
  if (bullet === -1) return [];
  const into = tokens.slice(i + 2 + bullet, i + 5 + bullet).findIndex((t) => ['in', 'into', 'through', 'between'].includes(t.word));
  if (into === -1) return [];
  const target = targetAfter(tokens, i + 2 + bullet + into, { lemma: 'shoot', kind: 'killing', object: 'person' });
  if (!target || target === 'harmless') return [];
  const mood = activeMood(tokens, i, target);
  return mood ? [relation(mood, 'shoot', 'killing', target, tokens, i)] : [];
}

/** "set fire to the mosque", "set my neighbour's house on fire", "set him alight". */
function setOnFire(tokens: Token[], i: number): Array<Omit<HarmRelation, 'framed'>> {
  const next = tokens.slice(i + 1, i + 8).map((t) => t.word);
  const fireTo = next[0] === 'fire' && (next[1] === 'to' || next[1] === 'on');
  const onFire = next.some((w, k) => (w === 'on' && next[k + 1] === 'fire') || w === 'alight' || w === 'ablaze');
  if (!fireTo && !onFire) return [];
  const after = fireTo ? i + 2 : i;
  const found = targetAfter(tokens, after, { lemma: 'set on fire', kind: 'destruction', object: 'property' });
  if (!found || found === 'harmless') return [];
  const mood = activeMood(tokens, i, found);
  return mood ? [relation(mood, 'set on fire', found.kind === 'place' ? 'destruction' : 'injury', found, tokens, i)] : [];
}

function relation(mood: RelationMood, act: string, actKind: ActKind, target: Target, tokens: Token[], i: number): Omit<HarmRelation, 'framed'> {
  const from = Math.min(speakerStart(tokens, i), target.start);
  return { mood, act, actKind, target: target.text, targetKind: target.kind, protectedTarget: target.protectedTarget, start: from, end: Math.max(target.end, tokens[i].end) };
}

function fits(act: HarmAct, target: Target, tokens: Token[]): boolean {
  if (act.object === 'property') return target.kind === 'place';
  if (target.kind === 'place') return false;
  if (act.object === 'minor') return target.kind === 'minor' || isMinorAt(tokens, target.index);
  if (act.object === 'body_part') return tokens[target.index + 1] !== undefined && BODY_PARTS.has(tokens[target.index + 1].word);
  return true;
}

/** The act word is used as a verb (compromise sometimes tags a sentence-initial imperative as a noun). */
function verbLike(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  const before = tokens[i - 1];
  // "a photo shoot", "the video shoot": a noun compound, not an act.
  if (before && !before.clauseEnd && DEPICTION_MARKERS.has(before.word) && before.tags.has('Noun') && !t.tags.has('Gerund')) return false;
  if (t.tags.has('Verb')) return true;
  // compromise reads some participles as adjectives ("a meme humiliating the fat kid").
  if (/(ing|ed)$/.test(t.word) && before && !before.tags.has('Determiner') && !before.tags.has('Possessive')) return true;
  return !before || before.clauseEnd || ['to', 'will', 'gonna', 'should', 'must', 'i', 'we', 'us', 'please', 'go', 'and', 'then', 'just'].includes(before.word);
}

function isPassive(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (!t.tags.has('PastTense') && !t.tags.has('Participle')) return false;
  for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
    if (PASSIVE_AUXILIARIES.has(tokens[k].word)) return true;
    if (!tokens[k].tags.has('Adverb')) break;
  }
  return false;
}

/** "I'd love to see the judge hanged", "I want my boss shot": the participle is a wish about the person before it. */
function seenDone(tokens: Token[], i: number): boolean {
  if (!tokens[i].tags.has('PastTense') && !tokens[i].tags.has('Participle')) return false;
  for (let k = i - 1; k >= Math.max(0, i - 8); k--) {
    if (SEEING_WORDS.has(tokens[k].word)) return k < i - 1 && !tokens[i - 1].tags.has('Verb');
    if (tokens[k].clauseEnd) return false;
  }
  return false;
}

/** The object of an active verb: the first noun phrase after it, or the owner of the body part or place named. */
function targetAfter(tokens: Token[], last: number, act: HarmAct): Target | 'harmless' | null {
  for (let k = last + 1; k < Math.min(tokens.length, last + 7); k++) {
    if (tokens[k - 1].clauseEnd && k > last + 1) return null;
    const t = tokens[k];
    if (t.word === 'yourself' || t.word === 'myself' || t.word === 'me' || t.word === 'it') return null;
    const possessorKind = POSSESSIVE_PRONOUNS[t.word];
    if (possessorKind && t.tags.has('Possessive') && tokens[k + 1] && (BODY_PARTS.has(tokens[k + 1].word) || SENSITIVE_PLACES.has(tokens[k + 1].word))) {
      const owned = tokens[k + 1];
      const kind = SENSITIVE_PLACES.has(owned.word) ? 'place' : possessorKind;
      return { text: `${t.word} ${owned.word}`, kind, protectedTarget: false, index: k, start: t.start, end: owned.end };
    }
    // "beat the crap out of him": the person is after "out of".
    if (IDIOM_FILLERS.has(t.word) && tokens[k + 1]?.word === 'out' && tokens[k + 2]?.word === 'of') {
      k += 2;
      continue;
    }
    const target = classifyAt(tokens, k);
    if (target) {
      if (DATIVE_OBJECTS.has(tokens[target.index + 1]?.word ?? '') || DATIVE_OBJECTS.has(tokens[target.index + 2]?.word ?? '')) return 'harmless';
      return target;
    }
    if (skippable(t) || (act.object === 'body_part' && t.word === 'the')) continue;
    return null;
  }
  return null;
}

/** The subject a passive verb or "die" is about: the nearest person before it, over auxiliaries and modals. */
function targetBefore(tokens: Token[], i: number): Target | null {
  for (let k = i - 1; k >= Math.max(0, i - 9); k--) {
    if (tokens[k].clauseEnd) return null;
    const t = tokens[k];
    if (FIRST_PERSON.has(t.word) || t.word === 'it') return null;
    const target = classifyAt(tokens, k, true);
    if (target) return target;
    if (t.tags.has('Verb') || t.tags.has('Adverb') || t.tags.has('Negative') || t.word === 'to' || skippable(t)) continue;
    // "every cop in this city hanged": step back over a prepositional phrase to the person it follows.
    let j = k - 1;
    while (j > 0 && skippable(tokens[j])) j--;
    if (j > 0 && tokens[j].tags.has('Preposition') && !tokens[j].clauseEnd) {
      k = j;
      continue;
    }
    return null;
  }
  return null;
}

function skippable(t: Token): boolean {
  return SKIPPABLE_BEFORE_OBJECT.has(t.word) || t.tags.has('Determiner') || t.tags.has('Adjective') || t.tags.has('Value') || (t.tags.has('Possessive') && !POSSESSIVE_PRONOUNS[t.word]) || t.tags.has('Adverb');
}

/** A person, role, group or place at `k`, widened over a multi-word name or a compound ("Joe Biden", "the white house"). */
function classifyAt(tokens: Token[], k: number, asSubject = false, owner = false): Target | null {
  const t = tokens[k];
  const at = (kind: RelationTargetKind, protectedTarget = false, to = k, from = k): Target => ({
    text: tokens.slice(from, to + 1).map((x) => x.word).join(' '),
    kind,
    protectedTarget,
    index: to,
    start: tokens[from].start,
    end: tokens[to].end,
  });
  if (SECOND_PERSON.has(t.word)) return at('you');
  if (THIRD_PERSON_OBJECT.has(t.word) || (asSubject && THIRD_PERSON_SUBJECT.has(t.word))) return at('pronoun');
  if (t.tags.has('Possessive') && !asSubject && !owner) {
    // "my boss's head", "Dana's car": the owner is the target.
    const owned = tokens[k + 1];
    if (!owned || !(BODY_PARTS.has(owned.word) || SENSITIVE_PLACES.has(owned.word))) return null;
    const who = classifyAt(tokens, k, false, true);
    if (!who || !SENSITIVE_PLACES.has(owned.word)) return who;
    return { ...who, text: `${who.text} ${owned.word}`, kind: 'place', index: k + 1, end: owned.end };
  }
  const group = GROUPS.get(t.word);
  const ownerFrom = possessorStart(tokens, k);
  if (isMinorAt(tokens, k)) return at('minor', false, k, ownerFrom);
  if (group !== undefined) return at('group', group, k, ownerFrom);
  if (ROLES.has(t.word) || (t.tags.has('Actor') && t.tags.has('Noun'))) {
    // "judge Harris", "my boss Dave": the name that follows is the same person.
    const named = tokens[k + 1]?.tags.has('Person') ? k + 1 + (tokens[k + 2]?.tags.has('Person') ? 1 : 0) : k;
    return at(named > k ? 'named' : 'role', false, named, ownerFrom);
  }
  if (t.tags.has('Person') || (t.tags.has('ProperNoun') && !t.tags.has('Place') && !t.tags.has('Organization'))) {
    let to = k;
    while (tokens[to + 1] && (tokens[to + 1].tags.has('Person') || (tokens[to + 1].tags.has('ProperNoun') && !tokens[to].clauseEnd))) to++;
    let from = k;
    while (from > 0 && !tokens[from - 1].clauseEnd && (tokens[from - 1].tags.has('Person') || tokens[from - 1].tags.has('Honorific'))) from--;
    if (tokens[to + 1] && SENSITIVE_PLACES.has(tokens[to + 1].word) && tokens[to].tags.has('Possessive')) return at('place', false, to + 1, from);
    return at('named', false, to, from);
  }
  if (SENSITIVE_PLACES.has(t.word) && t.tags.has('Noun')) return at('place', PLACES_OF_WORSHIP.has(t.word), k, ownerFrom);
  // "black people", "the gay community": a protected adjective before a group word.
  return null;
}

/** Where an owner before a noun starts ("my boss's", "Dana's"), or the noun itself. */
function possessorStart(tokens: Token[], k: number): number {
  let from = k;
  while (from > 0 && (tokens[from - 1].tags.has('Possessive') || tokens[from - 1].tags.has('Adjective')) && !tokens[from - 1].clauseEnd && k - from < 3) from--;
  return from;
}

function contestNearby(tokens: Token[], i: number): boolean {
  return tokens.slice(Math.max(0, i - 6), i + 8).some((t) => CONTEST_WORDS.has(t.word));
}

/** Tokens from the start of the clause holding `i` (a comma or dash ends a clause) up to `i`. */
function clauseBefore(tokens: Token[], i: number): Token[] {
  let from = i;
  while (from > 0 && !tokens[from - 1].clauseEnd) from--;
  return tokens.slice(from, i);
}

function speakerStart(tokens: Token[], i: number): number {
  const clause = clauseBefore(tokens, i);
  return clause.length > 0 ? clause[0].start : tokens[i].start;
}

function negated(words: string[], tokens: Token[]): boolean {
  return words.some((w) => NEGATIONS.has(w)) || tokens.some((t) => t.tags.has('Negative'));
}

/** Intent, instruction, incitement or how-to for an active verb at `i`; null for narration. */
function activeMood(tokens: Token[], i: number, target: Target): RelationMood | null {
  const clause = clauseBefore(tokens, i);
  const words = clause.map((t) => t.word);
  const sentenceBefore = tokens.slice(0, i).map((t) => t.word);
  if (howTo(sentenceBefore)) return 'how_to';
  const depicted = depictionMood(tokens, i, target);
  if (depicted) return depicted;
  const subjectAt = findSubject(clause);
  const between = subjectAt === -1 ? words : words.slice(subjectAt + 1);
  if (negated(between, subjectAt === -1 ? clause : clause.slice(subjectAt + 1))) return null;
  if (words.some((w) => THREAT_FRAMES.has(w))) return 'intent';
  if (subjectAt === -1) {
    if (words.every((w) => IMPERATIVE_LEAD_INS.has(w) || w === 'to')) return words.includes('lets') || words.includes('let') ? 'incitement' : 'instruction';
    // "gonna go shoot up the school", "planning to stab my stepdad": the dropped subject is the speaker.
    if (words.some((w) => FUTURE_MARKERS.has(w) || DESIRE_MARKERS.has(w))) return 'intent';
    return null;
  }
  const subject = words[subjectAt];
  const modal = between.some((w) => FUTURE_MARKERS.has(w) || DESIRE_MARKERS.has(w) || OBLIGATION_MARKERS.has(w) || CAPABILITY.has(w));
  if ((subject === 'us' || subject === 'me') && words[subjectAt - 1] === 'let') return subject === 'us' ? 'incitement' : 'intent';
  if (FIRST_PERSON.has(subject)) {
    if (modal) return 'intent';
    // "a video where I stab my landlord": the speaker asks to be shown doing it.
    return sentenceBefore.some((w) => DEPICTION_MARKERS.has(w)) ? 'self_depiction' : null;
  }
  // "a TikTok that shames Dana", "a story in which he rapes her": content asked for that does the act.
  if ((CONTENT_NOUNS.has(subject) || DEPICTION_MARKERS.has(subject)) && between.some((w) => RELATIVE_WORDS.has(w))) return 'instruction';
  const obliged = between.some((w) => OBLIGATION_MARKERS.has(w) || FUTURE_MARKERS.has(w) || CAPABILITY.has(w));
  if (OTHER_PEOPLE_AS_SUBJECT.has(subject) && obliged) return 'incitement';
  // "I hope someone shoots him", "I want you to stab her": a wish or a request put on another.
  const wished = words.slice(0, subjectAt).some((w) => WISH_MARKERS.has(w));
  if (wished && words.slice(0, subjectAt).some((w) => FIRST_PERSON.has(w))) return 'wish';
  return null;
}

/** For a passive verb or "die" after `targetIndex`: "X should be shot", "I hope X dies", "you will die". */
function wishMood(tokens: Token[], targetIndex: number, i: number): RelationMood | null {
  const between = tokens.slice(targetIndex + 1, i);
  const words = between.map((t) => t.word);
  if (negated(words, between)) return null;
  const before = clauseBefore(tokens, targetIndex).map((t) => t.word);
  const target = tokens[targetIndex].word;
  if (words.some((w) => OBLIGATION_MARKERS.has(w))) return 'wish';
  // "I hope X dies", or the same with the speaker dropped ("would love to see X hanged").
  const speaker = before.some((w) => FIRST_PERSON.has(w)) || ['would', 'id', 'really', 'so', ...WISH_MARKERS].includes(before[0] ?? '');
  if (before.some((w) => WISH_MARKERS.has(w)) && speaker) return 'wish';
  if (words.some((w) => FUTURE_MARKERS.has(w))) return SECOND_PERSON.has(target) ? 'intent' : 'wish';
  return null;
}

/** "film me shooting him", "a video of Joe Biden being beheaded". */
function depictionMood(tokens: Token[], i: number, target: Target): RelationMood | null {
  const t = tokens[i];
  if (!t.tags.has('Gerund') && !t.tags.has('PastTense') && !t.tags.has('Participle')) return null;
  const before = tokens.slice(Math.max(0, i - 8), i);
  if (!before.some((b) => DEPICTION_MARKERS.has(b.word))) return null;
  const agent = tokens[i - 1]?.word;
  if (agent && FIRST_PERSON.has(agent) && t.tags.has('Gerund')) return 'self_depiction';
  return target.kind === 'named' || target.kind === 'role' || target.kind === 'group' || target.kind === 'minor' ? 'depiction' : null;
}

function howTo(words: string[]): boolean {
  return words.some((w, k) => HOW_TO_MARKERS.has(w) && (w !== 'how' || ['to', 'do', 'can', 'could', 'would', 'should', 'i', 'we'].includes(words[k + 1] ?? '')) && (w !== 'best' || words[k + 1] === 'way'));
}

/** The subject of the clause: its last pronoun or person before the verb (-1 when there is none: an imperative). */
function findSubject(clause: Token[]): number {
  for (let k = clause.length - 1; k >= 0; k--) {
    const t = clause[k];
    // Possessives and the objects of earlier verbs ("I will find you and kill you") are not the subject.
    if (t.tags.has('Possessive') || (k > 0 && clause[k - 1].tags.has('Verb') && !FIRST_PERSON.has(t.word) && t.word !== 'us')) continue;
    if (FIRST_PERSON.has(t.word) || OTHER_PEOPLE_AS_SUBJECT.has(t.word) || THIRD_PERSON_SUBJECT.has(t.word) || t.word === 'lets') return k;
    if (t.tags.has('Pronoun') || t.tags.has('Person') || (t.tags.has('Noun') && !t.tags.has('Value') && !IMPERATIVE_LEAD_INS.has(t.word))) return k;
  }
  return -1;
}

/** Every inflected form of every act, built once with compromise's conjugator on first use. */
function actForms(): Map<string, HarmAct[]> {
  if (forms) return forms;
  const built = new Map<string, HarmAct[]>();
  for (const act of HARM_ACTS) {
    for (const form of inflections(act.lemma)) built.set(form, [...(built.get(form) ?? []), act]);
  }
  forms = built;
  return built;
}
