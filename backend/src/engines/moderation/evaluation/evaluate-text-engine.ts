import type { CheckVerdict } from '@provenant/shared';
import { MODERATION_CATEGORIES, ModerationCategory } from '../categories';
import { applyPolicy } from '../policy/apply-policy';
import { ModerationPolicy } from '../policy/moderation-policy';
import { LocalTextClassifier } from '../text/local-text-classifier';
import { EvaluationPrompt } from './evaluation-prompt';

export interface CategoryQuality {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface PromptOutcome {
  id: string;
  kind: EvaluationPrompt['kind'];
  verdict: CheckVerdict;
  flagged: ModerationCategory[];
  /** Labelled categories the engine did not flag. */
  missed: ModerationCategory[];
  /** Flagged categories that are neither labelled nor acceptable. */
  unexpected: ModerationCategory[];
}

export interface TextEngineEvaluation {
  prompts: { harmful: number; evasion: number; benign: number };
  perCategory: Record<ModerationCategory, CategoryQuality>;
  /** Share of harmful prompts whose labelled category was flagged (review or block). */
  harmfulRecall: number;
  /** The same over the evasion variants. */
  evasionRecall: number;
  evasionRecallByTechnique: Record<string, number>;
  /** Share of benign look-alikes that were blocked. */
  benignFalseBlockRate: number;
  /** Share of benign look-alikes sent to review or blocked. */
  benignFalseFlagRate: number;
  outcomes: PromptOutcome[];
}

/**
 * Scores the local text engine on a labelled set under a policy: a category
 * counts as flagged when the policy gives it review or block.
 */
export function evaluateTextEngine(
  prompts: readonly EvaluationPrompt[],
  classifier: LocalTextClassifier,
  policy: ModerationPolicy,
): TextEngineEvaluation {
  const outcomes = prompts.map((prompt): PromptOutcome => {
    const decision = applyPolicy(classifier.classify(prompt.text).scores, policy);
    const flagged = MODERATION_CATEGORIES.filter((c) => decision.categories[c].verdict !== 'allow');
    const acceptable = new Set([...prompt.labels, ...(prompt.alsoAcceptable ?? [])]);
    return {
      id: prompt.id,
      kind: prompt.kind,
      verdict: decision.verdict,
      flagged,
      missed: prompt.labels.filter((c) => !flagged.includes(c)),
      unexpected: flagged.filter((c) => !acceptable.has(c)),
    };
  });

  const perCategory = {} as Record<ModerationCategory, CategoryQuality>;
  for (const category of MODERATION_CATEGORIES) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    prompts.forEach((prompt, i) => {
      const labelled = prompt.labels.includes(category);
      const flagged = outcomes[i].flagged.includes(category);
      if (labelled && flagged) tp++;
      else if (labelled) fn++;
      else if (outcomes[i].unexpected.includes(category)) fp++;
    });
    perCategory[category] = {
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, tp + fn),
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
    };
  }

  const of = (kind: EvaluationPrompt['kind']) => outcomes.filter((o) => o.kind === kind);
  const caught = (list: PromptOutcome[]) => ratio(list.filter((o) => o.missed.length === 0).length, list.length);
  const techniques = [...new Set(prompts.map((p) => p.technique).filter((t): t is string => !!t))].sort();
  const benign = of('benign');
  return {
    prompts: { harmful: of('harmful').length, evasion: of('evasion').length, benign: benign.length },
    perCategory,
    harmfulRecall: caught(of('harmful')),
    evasionRecall: caught(of('evasion')),
    evasionRecallByTechnique: Object.fromEntries(
      techniques.map((t) => [t, caught(outcomes.filter((_, i) => prompts[i].technique === t))]),
    ),
    benignFalseBlockRate: ratio(benign.filter((o) => o.verdict === 'block').length, benign.length),
    benignFalseFlagRate: ratio(benign.filter((o) => o.verdict !== 'allow').length, benign.length),
    outcomes,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : Math.round((numerator / denominator) * 1000) / 1000;
}
