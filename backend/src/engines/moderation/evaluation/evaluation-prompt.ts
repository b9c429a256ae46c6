import { ModerationCategory } from '../categories';

/** The splits in the order the set lists them (and the bench reports them). */
export const EVALUATION_SPLITS = ['development', 'holdout', 'holdout2', 'holdout3'] as const;
/** The splits whose harmful prompts each come with an evasion variant (holdout3 measures new phrasings, not disguises). */
export const SPLITS_WITH_EVASIONS: readonly EvaluationSplit[] = ['development', 'holdout', 'holdout2'];
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

/** One labelled prompt of the text evaluation set. */
export interface EvaluationPrompt {
  id: string;
  /**
   * 'development': the rules were tuned against it. 'holdout': never tuned on, but written before the
   * rules were last broadened by the same author. 'holdout2': written after that, never tuned on.
   * 'holdout3': threats, incitement, harassment and sexualised children in new phrasings with benign
   * look-alikes, written after the relation rules were frozen (2026-12-03.1), never tuned on.
   */
  split: EvaluationSplit;
  kind: 'harmful' | 'evasion' | 'benign';
  text: string;
  /** Categories a correct engine must flag; empty for benign prompts. */
  labels: ModerationCategory[];
  /** Neighbouring categories that are fair to flag as well (not counted as false positives); see ACCEPTABLE_NEIGHBOURS. */
  alsoAcceptable?: ModerationCategory[];
  /** Evasion variants: the harmful prompt they disguise and how. */
  variantOf?: string;
  technique?: string;
  /** Benign look-alikes: what kind of innocent text they are. */
  topic?: string;
}
