import type { CheckVerdict } from '@provenant/shared';
import { CategoryScores, MODERATION_CATEGORIES, ModerationCategory } from './categories';
import { CategoryReport, ModerationEvidence, ModerationReport, ModerationSource, SpeechCoverage } from './moderation-report';
import { applyPolicy, effectiveThresholds, worstVerdict } from './policy/apply-policy';
import { ModerationPolicy } from './policy/moderation-policy';

/**
 * Collects scores from every source of one input (prompt, image pixels,
 * frames, on-screen text, speech) and turns them into one report: per
 * category the highest score, the worst verdict any source earned, and which
 * sources assessed it.
 */
export class ReportBuilder {
  private readonly categories: Record<ModerationCategory, CategoryReport>;
  private readonly evidence: ModerationEvidence[] = [];
  private forcedReview = false;

  constructor(private readonly policy: ModerationPolicy) {
    this.categories = Object.fromEntries(
      MODERATION_CATEGORIES.map((c) => [c, { score: 0, threshold: effectiveThresholds(policy, c), verdict: 'allow', assessedBy: [] }]),
    ) as unknown as Record<ModerationCategory, CategoryReport>;
  }

  /** Scores that stand on their own (a prompt, an image, a transcript). */
  addScores(source: ModerationSource, scores: CategoryScores, options: { reviewOnly?: boolean } = {}): void {
    const assessed = Object.keys(scores) as ModerationCategory[];
    const decision = applyPolicy(scores, this.policy, { reviewOnly: options.reviewOnly ? assessed : [] });
    for (const category of assessed) this.record(source, category, scores[category]!, decision.categories[category].verdict);
  }

  /** A per-category verdict already decided elsewhere (frame aggregation). */
  addDecided(source: ModerationSource, category: ModerationCategory, score: number, verdict: CheckVerdict): void {
    this.record(source, category, score, verdict);
  }

  addEvidence(...items: ModerationEvidence[]): void {
    this.evidence.push(...items);
  }

  /** Something could not be assessed (e.g. an unreadable script): a human must look. */
  requireReview(evidence: ModerationEvidence): void {
    this.forcedReview = true;
    this.evidence.push(evidence);
  }

  build(fields: { input: ModerationReport['input']; provider: string; models: readonly string[]; speech: SpeechCoverage; framesSampled?: number }): ModerationReport {
    const categoryVerdict = worstVerdict(MODERATION_CATEGORIES.map((c) => this.categories[c].verdict));
    const flagged = (c: ModerationCategory) => this.categories[c].verdict !== 'allow';
    return {
      verdict: this.forcedReview ? worstVerdict([categoryVerdict, 'review']) : categoryVerdict,
      policyVersion: this.policy.version,
      provider: fields.provider,
      models: [...fields.models],
      input: fields.input,
      categories: this.categories,
      // Bare provider scores are evidence only where they changed the outcome; rule matches always are.
      evidence: this.evidence.filter((e) => e.kind !== 'provider_score' || flagged(e.category)),
      speech: fields.speech,
      ...(fields.framesSampled !== undefined ? { framesSampled: fields.framesSampled } : {}),
    };
  }

  private record(source: ModerationSource, category: ModerationCategory, score: number, verdict: CheckVerdict): void {
    const entry = this.categories[category];
    entry.score = Math.max(entry.score, score);
    entry.verdict = worstVerdict([entry.verdict, verdict]);
    if (!entry.assessedBy.includes(source)) entry.assessedBy.push(source);
  }
}
