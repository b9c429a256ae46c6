import type { RelationEvidence } from '@provenant/shared';
import { CategoryScores, MODERATION_CATEGORIES, ModerationCategory } from '../categories';
import { ProfanityDetector } from './profanity-detector';
import { collapseRepeats, compileTemplates, templateAnchors, Vocabulary } from './rule-template';
import { TEXT_RULES, TEXT_RULES_VERSION, VOCABULARY } from './rules';
import { unreadableScripts } from './script-check';
import { analyseHarm, HarmAnalysis, relationRuleId, relationScores, Span } from './relations';
import { TextRule } from './text-rule';
import { AMBIGUOUS_I_OR_L, MASKED_LETTER, NormalisedText, normaliseText, originalSpan } from './text-normaliser';

/** A rule that fired, with its span in the normalised text. */
export interface RuleMatch {
  ruleId: string;
  scores: CategoryScores;
  start: number;
  end: number;
  /** A benign framing (news, education, support) was found in the same sentence; scores were damped. */
  benignFraming: boolean;
}

export interface TextSpanMatch {
  ruleId: string;
  category: ModerationCategory;
  score: number;
  normalised: string;
  original: string;
  start: number;
  end: number;
  /** Set when the match is a relation found from the sentence structure (see relations/). */
  relation?: RelationEvidence;
}

export interface TextAssessment {
  /** One score per category (all 13 are assessed by the rules). */
  scores: Record<ModerationCategory, number>;
  matches: TextSpanMatch[];
  /** Scripts the English rules cannot read; non-empty means the scores say little. */
  unreadableScripts: string[];
}

/** Benign framing does not erase a match: it damps it, so sexual/minors still reaches review. */
const BENIGN_FRAMING_FACTOR = 0.3;
const MAX_SCORE = 0.99;
/** Phrase rules about violence against a person, which the structure can overrule (readHarmless). */
const STRUCTURE_CHECKED_RULES = ['threat.', 'violence.attack-on-person', 'violence.instructions-to-hurt'];

interface CompiledTemplate {
  pattern: RegExp;
  /** The template can only match a text containing one of these; null: always try it. */
  anchors: string[] | null;
}

interface CompiledRule {
  rule: TextRule;
  templates: CompiledTemplate[];
  unless: RegExp | null;
}

/**
 * The local text policy engine: curated, versioned rules over normalised
 * text, obscenity's profanity list, and harm relations found from the
 * sentence structure by compromise (relations/). Scores per category combine
 * the rules and relations that fired as independent signals (1 − ∏(1 − s)).
 */
export class LocalTextClassifier {
  readonly version = `local-text-rules@${TEXT_RULES_VERSION}`;
  private readonly compiled: CompiledRule[];
  private readonly profanity = new ProfanityDetector();

  constructor(rules: readonly TextRule[] = TEXT_RULES, vocabulary: Vocabulary = VOCABULARY) {
    this.compiled = rules.map((rule) => ({
      rule,
      templates: rule.match.map((t) => ({ pattern: compileTemplates([t], vocabulary), anchors: templateAnchors(t, vocabulary) })),
      unless: rule.unless ? compileTemplates(rule.unless, vocabulary) : null,
    }));
  }

  classify(text: string): TextAssessment {
    const normalised = normaliseText(text);
    const harm = harmIn(normalised);
    const ruleMatches = [...this.matchRules(normalised.text), ...this.profanity.detect(normalised.text)].map((m) =>
      readHarmless(m, originalSpan(normalised, m.start, m.end), harm),
    );
    const strongest = new Map<string, RuleMatch>();
    for (const m of ruleMatches) {
      const best = strongest.get(m.ruleId);
      if (!best || maxScore(m) > maxScore(best)) strongest.set(m.ruleId, m);
    }
    const scores = Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, 0])) as Record<ModerationCategory, number>;
    const matches: TextSpanMatch[] = [];
    for (const m of strongest.values()) {
      const span = originalSpan(normalised, m.start, m.end);
      for (const [category, score] of Object.entries(m.scores) as Array<[ModerationCategory, number]>) {
        scores[category] = 1 - (1 - scores[category]) * (1 - score);
        matches.push({
          ruleId: m.benignFraming ? `${m.ruleId}+benign-framing` : m.ruleId,
          category,
          score,
          normalised: readable(normalised.text.slice(m.start, m.end)),
          original: span.text,
          start: span.start,
          end: span.end,
        });
      }
    }
    for (const r of this.strongestRelations(text, harm)) {
      for (const [category, score] of Object.entries(r.scores) as Array<[ModerationCategory, number]>) {
        scores[category] = 1 - (1 - scores[category]) * (1 - score);
        matches.push({ ...r.match, category, score: round(score) });
      }
    }
    for (const c of MODERATION_CATEGORIES) scores[c] = Math.round(Math.min(scores[c], MAX_SCORE) * 1000) / 1000;
    matches.sort((a, b) => b.score - a.score || a.start - b.start);
    return { scores, matches, unreadableScripts: unreadableScripts(text) };
  }

  /** One relation per rule id (the strongest), like the phrase rules; spans are in the original text, which compromise parsed. */
  private strongestRelations(text: string, harm: HarmAnalysis): Array<{ scores: CategoryScores; match: Omit<TextSpanMatch, 'category' | 'score'> }> {
    const best = new Map<string, { scores: CategoryScores; match: Omit<TextSpanMatch, 'category' | 'score'> }>();
    for (const relation of harm.relations) {
      const ruleId = relationRuleId(relation);
      const scores = relationScores(relation);
      const previous = best.get(ruleId);
      if (previous && Math.max(...Object.values(previous.scores)) >= Math.max(...Object.values(scores))) continue;
      const { mood, act, actKind, target, targetKind, framed } = relation;
      const original = text.slice(relation.start, relation.end);
      best.set(ruleId, {
        scores,
        match: { ruleId, normalised: original.toLowerCase(), original, start: relation.start, end: relation.end, relation: { mood, act, actKind, target, targetKind, framed } },
      });
    }
    return [...best.values()];
  }

  private *matchRules(text: string): Generator<RuleMatch> {
    // Placeholders can stand for several letters: such (rare) texts skip the anchor check.
    const anchorView = text.includes(AMBIGUOUS_I_OR_L) || text.includes(MASKED_LETTER) ? null : collapseRepeats(text);
    for (const { rule, templates, unless } of this.compiled) {
      const candidates = templates.filter((t) => !anchorView || !t.anchors || t.anchors.some((a) => anchorView.includes(a)));
      for (const m of candidates.flatMap((t) => [...text.matchAll(t.pattern)])) {
        const start = m.index;
        const end = start + m[0].length;
        const benignFraming = unless !== null && sentenceAround(text, start, end).search(unless) !== -1;
        const scores = benignFraming ? damp(rule.scores) : rule.scores;
        yield { ruleId: rule.id, scores, start, end, benignFraming };
      }
    }
  }
}

/**
 * A threat or attack phrase rule that matched an act the sentence structure reads as harmless
 * ("I'll shoot you a text", "I'm going to beat my brother at chess"), with no harm relation
 * over the same words, is damped like a benign framing.
 */
function readHarmless(m: RuleMatch, span: Span, harm: HarmAnalysis): RuleMatch {
  if (m.benignFraming || !STRUCTURE_CHECKED_RULES.some((prefix) => m.ruleId.startsWith(prefix))) return m;
  const overlaps = (other: Span) => other.start < span.end && span.start < other.end;
  if (!harm.harmlessActs.some(overlaps) || harm.relations.some(overlaps)) return m;
  return { ...m, scores: damp(m.scores), benignFraming: true };
}

function sentenceAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('.', start - 1) + 1;
  const stop = text.indexOf('.', end);
  return text.slice(from, stop === -1 ? text.length : stop);
}

function damp(scores: CategoryScores): CategoryScores {
  return Object.fromEntries(Object.entries(scores).map(([c, s]) => [c, s * BENIGN_FRAMING_FACTOR]));
}

/**
 * Harm relations in the text as written (compromise reads case and punctuation) and, when the
 * normaliser undid a disguise (leetspeak, homoglyphs, spaced letters), in the normalised reading
 * too, with its spans mapped back to the original.
 */
function harmIn(normalised: NormalisedText): HarmAnalysis {
  const written = analyseHarm(normalised.original);
  const reading = readable(normalised.text);
  const plain = normalised.original.toLowerCase().replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (reading.replace(/\./g, ' ') === plain) return written;
  const disguised = analyseHarm(reading);
  const back = (span: Span): Span => {
    const o = originalSpan(normalised, span.start, span.end);
    return { start: o.start, end: o.end };
  };
  return {
    relations: [...written.relations, ...disguised.relations.map((r) => ({ ...r, ...back(r) }))],
    harmlessActs: [...written.harmlessActs, ...disguised.harmlessActs.map(back)],
  };
}

/** Shows the placeholders for ambiguous and masked letters the way a reviewer would read them. */
function readable(normalised: string): string {
  return normalised.replaceAll(AMBIGUOUS_I_OR_L, 'i').replaceAll(MASKED_LETTER, '*');
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

function maxScore(m: RuleMatch): number {
  return Math.max(...Object.values(m.scores));
}
