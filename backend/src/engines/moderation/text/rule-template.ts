import { AMBIGUOUS_I_OR_L, MASKED_LETTER } from './text-normaliser';

/**
 * Rules are written as phrase templates over normalised text:
 *
 *   word        the word, whole, tolerant of repeated letters ("kiiill"),
 *               masked letters ("k*ll") and 1/!/| for i or l
 *   word*       the word as a prefix ("kill*" → kills, killed, killing);
 *               inside a word, "*" allows up to 3 letters ("favo*r")
 *   {a|b c}     one of the alternatives (each itself a template)
 *   [a b|c]     optional, with alternatives like {…}
 *   @name       one of the phrases in vocabulary list `name`
 *   ~  ~N       a gap of up to 3 (or N) arbitrary words in the same sentence
 *
 * Words may be run together ("killyourself") since spaced-out letters are
 * joined by the normaliser; a match never crosses a sentence end.
 */
export type Vocabulary = Readonly<Record<string, readonly string[]>>;

const WORD_CHAR = `\\p{L}\\p{N}${AMBIGUOUS_I_OR_L}${MASKED_LETTER}`;
const DEFAULT_GAP = 3;

export class RuleTemplateError extends Error {
  constructor(template: string, problem: string) {
    super(`rule template "${template}": ${problem}`);
    this.name = 'RuleTemplateError';
  }
}

/** Compiles templates into one global, unicode regex with word boundaries at both ends. */
export function compileTemplates(templates: readonly string[], vocabulary: Vocabulary): RegExp {
  const body = templates.map((t) => compileSequence(t, t, vocabulary, new Set())).join('|');
  return new RegExp(`(?<![${WORD_CHAR}])(?:${body})(?![${WORD_CHAR}])`, 'gu');
}

type Element = { kind: 'gap'; words: number } | { kind: 'optional'; source: string } | { kind: 'term'; source: string };

/** Anchors shorter than this say too little about the text to be worth checking. */
const MIN_ANCHOR = 2;
const ANCHOR_LENGTH = 3;

/**
 * Letter sequences at least one of which any text matching the template
 * must contain (repeated letters collapsed, placeholders resolved), or null
 * when no part of the template is selective enough. They let the matcher
 * skip a template cheaply: V8 compiles and interprets large regexes slowly
 * the first times they run, and again after a GC flushes their code.
 */
export function templateAnchors(template: string, vocabulary: Vocabulary): string[] | null {
  return sequenceAnchors(template, template, vocabulary, new Set());
}

function sequenceAnchors(template: string, root: string, vocabulary: Vocabulary, expanding: Set<string>): string[] | null {
  let best: string[] | null = null;
  for (const element of splitElements(template.trim(), root)) {
    if (element.kind !== 'term') continue;
    const anchors = termAnchors(element.source, root, vocabulary, expanding);
    if (anchors && (!best || anchorQuality(anchors) > anchorQuality(best))) best = anchors;
  }
  return best;
}

function termAnchors(term: string, root: string, vocabulary: Vocabulary, expanding: Set<string>): string[] | null {
  let alternatives: string[];
  let inner = expanding;
  if (term.startsWith('{')) {
    alternatives = splitTopLevel(term.slice(1, -1), '|', root);
  } else if (term.startsWith('@')) {
    const name = term.slice(1);
    alternatives = [...(vocabulary[name] ?? [])];
    inner = new Set(expanding).add(name);
  } else {
    const anchor = collapseRepeats(term.split('*')[0]).slice(0, ANCHOR_LENGTH);
    return anchor.length >= MIN_ANCHOR ? [anchor] : null;
  }
  if (alternatives.length === 0) return null;
  const all = new Set<string>();
  for (const alternative of alternatives) {
    const anchors = sequenceAnchors(alternative, root, vocabulary, inner);
    if (!anchors) return null;
    for (const a of anchors) all.add(a);
  }
  return [...all];
}

/** Longer anchors and fewer of them filter better. */
function anchorQuality(anchors: string[]): number {
  return Math.min(...anchors.map((a) => a.length)) * 1000 - anchors.length;
}

/** "kiiilll" → "kil": how both texts and anchors are compared, since rules tolerate repeated letters. */
export function collapseRepeats(text: string): string {
  return text.replace(/(.)\1+/gs, '$1');
}

function compileSequence(template: string, root: string, vocabulary: Vocabulary, expanding: Set<string>): string {
  const elements = splitElements(template.trim(), root);
  if (elements.length === 0) throw new RuleTemplateError(root, 'empty template or alternative');
  let out = '';
  elements.forEach((element, index) => {
    const separator = index === 0 ? '' : ' ?';
    if (element.kind === 'gap') {
      out += `(?: [^ .]+){0,${element.words}}`;
    } else if (element.kind === 'optional') {
      out += `(?:${separator}${compileTerm(`{${element.source}}`, root, vocabulary, expanding)})?`;
    } else {
      out += `${separator}${compileTerm(element.source, root, vocabulary, expanding)}`;
    }
  });
  return out;
}

function compileTerm(term: string, root: string, vocabulary: Vocabulary, expanding: Set<string>): string {
  if (term.startsWith('{')) {
    const alternatives = splitTopLevel(term.slice(1, -1), '|', root);
    return `(?:${alternatives.map((a) => compileSequence(a, root, vocabulary, expanding)).join('|')})`;
  }
  if (term.startsWith('@')) {
    const name = term.slice(1);
    const list = vocabulary[name];
    if (!list) throw new RuleTemplateError(root, `unknown vocabulary list @${name}`);
    if (expanding.has(name)) throw new RuleTemplateError(root, `vocabulary list @${name} refers to itself`);
    const inner = new Set(expanding).add(name);
    return `(?:${list.map((a) => compileSequence(a, root, vocabulary, inner)).join('|')})`;
  }
  if (!/^[a-z0-9*]+$/.test(term) || !/[a-z0-9]/.test(term)) {
    throw new RuleTemplateError(root, `"${term}" is not a lower-case word`);
  }
  let out = '';
  for (let i = 0; i < term.length; i++) {
    const ch = term[i];
    if (ch === '*') {
      // Trailing: any inflection ("kill*"); inside: a short variant spelling ("favo*r", "synthesi*e").
      out += i === term.length - 1 ? `[${WORD_CHAR}]*` : `[${WORD_CHAR}]{0,3}`;
    } else if (ch !== term[i - 1]) {
      out += `${letterClass(ch)}+`; // "kill" → k+i+l+ matches "kil", "kill" and "killll"
    }
  }
  return out;
}

function letterClass(ch: string): string {
  if (/[0-9]/.test(ch)) return ch;
  const ambiguous = ch === 'i' || ch === 'l' ? AMBIGUOUS_I_OR_L : '';
  return `[${ch}${ambiguous}${MASKED_LETTER}]`;
}

function splitElements(template: string, root: string): Element[] {
  return splitTopLevel(template, ' ', root)
    .filter((part) => part !== '')
    .map((part): Element => {
      const gap = /^~(\d*)$/.exec(part);
      if (gap) return { kind: 'gap', words: gap[1] ? Number(gap[1]) : DEFAULT_GAP };
      if (part.startsWith('[')) {
        if (!part.endsWith(']')) throw new RuleTemplateError(root, `unbalanced "[" in "${part}"`);
        return { kind: 'optional', source: part.slice(1, -1) };
      }
      if (part.startsWith('{') && !part.endsWith('}')) throw new RuleTemplateError(root, `unbalanced "{" in "${part}"`);
      return { kind: 'term', source: part };
    });
}

/** Splits on `separator` outside braces and brackets. */
function splitTopLevel(text: string, separator: string, root: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{' || ch === '[') depth++;
    if (ch === '}' || ch === ']') depth--;
    if (depth < 0) throw new RuleTemplateError(root, 'unbalanced brackets');
    if (ch === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (depth !== 0) throw new RuleTemplateError(root, 'unbalanced brackets');
  parts.push(current);
  return parts;
}
