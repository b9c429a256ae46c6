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
