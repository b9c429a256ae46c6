import { ModerationCategory } from '../categories';

export type EvaluationSplit = 'development' | 'holdout' | 'holdout2';

/** One labelled prompt of the text evaluation set. */
export interface EvaluationPrompt {
  id: string;
  /**
   * 'development': the rules were tuned against it. 'holdout': never tuned on, but written before the
   * rules were last broadened by the same author. 'holdout2': written after that, never tuned on.
   */
  split: EvaluationSplit;
  kind: 'harmful' | 'evasion' | 'benign';
  text: string;
  /** Categories a correct engine must flag; empty for benign prompts. */
  labels: ModerationCategory[];
  /** Neighbouring categories that are fair to flag as well (not counted as false positives). */
  alsoAcceptable?: ModerationCategory[];
  /** Evasion variants: the harmful prompt they disguise and how. */
  variantOf?: string;
  technique?: string;
  /** Benign look-alikes: what kind of innocent text they are. */
  topic?: string;
}
