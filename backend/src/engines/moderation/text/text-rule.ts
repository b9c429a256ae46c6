import { CategoryScores } from '../categories';

/** One curated rule of the local text engine. */
export interface TextRule {
  /** Stable id shown to reviewers; bump the suffix when the meaning changes. */
  id: string;
  /** Score contributed to each category when the rule matches. */
  scores: CategoryScores;
  /** Phrase templates (see rule-template.ts); any one matching fires the rule. */
  match: readonly string[];
  /** Templates for benign framings (news, education, support): one in the same sentence cancels the match. */
  unless?: readonly string[];
}
