import type nlpType from 'compromise';

type Nlp = typeof nlpType;

let loaded: Nlp | null = null;

/**
 * compromise, loaded on first use and kept: requiring it costs about a second
 * (its lexicon is built at load), which a process should pay once, not per prompt.
 */
export function nlp(): Nlp {
  loaded ??= require('compromise') as Nlp;
  return loaded;
}

/** One word of a parsed sentence, with compromise's part-of-speech tags and its span in the parsed text. */
export interface Token {
  /** Lower-case word without a possessive 's; for contractions the implied word ("'ll" → "will", "won't" → "will", "not"). */
  word: string;
  tags: ReadonlySet<string>;
  start: number;
  end: number;
  /** Punctuation right after the word ends a clause (",", ";", ":", a dash). */
  clauseEnd: boolean;
}

interface CompromiseTerm {
  text: string;
  normal: string;
  implicit?: string;
  post: string;
  tags: string[];
  offset: { start: number; length: number };
}

/** Sentences of `text` as token lists (compromise's tokeniser, tagger and contraction expansion); spans are shifted by `offset`. */
export function parseSentences(text: string, offset = 0): Token[][] {
  const sentences = nlp()(text).json({ offset: true }) as Array<{ terms: CompromiseTerm[] }>;
  return sentences.map((sentence) =>
    sentence.terms.map((t) => ({
      word: (t.implicit || t.normal || t.text).toLowerCase().replace(/[’']s$/, '').replace(/[’']/g, ''),
      tags: new Set(t.tags),
      start: offset + t.offset.start,
      end: offset + t.offset.start + t.offset.length,
      clauseEnd: /[,;:—–]|\s-\s/.test(t.post),
    })),
  );
}

/** Every inflection of a verb lemma compromise's conjugator knows, plus the regular ones it may miss. */
export function inflections(lemma: string): string[] {
  const forms = new Set<string>([lemma]);
  const doc = nlp()(lemma);
  doc.tag('Verb');
  const conjugated = (doc.verbs().conjugate() as Array<Record<string, string>>)[0] ?? {};
  for (const [tense, form] of Object.entries(conjugated)) if (tense !== 'FutureTense') forms.add(form.toLowerCase());
  const stem = lemma.endsWith('e') ? lemma.slice(0, -1) : lemma;
  const regular = [`${lemma}s`, `${stem}ed`, `${stem}ing`];
  if (/(s|x|ch|sh)$/.test(lemma)) regular.push(`${lemma}es`);
  // "stab" → "stabbed", "stabbing"
  if (/[^aeiou][aeiou][bdgklmnprt]$/.test(lemma)) regular.push(`${lemma}${lemma.slice(-1)}ed`, `${lemma}${lemma.slice(-1)}ing`);
  for (const form of regular) forms.add(form);
  return [...forms].filter((f) => !f.includes(' '));
}
