/**
 * What a verification found. The four entry kinds say what happened to the
 * log; `bad-signature` and `bad-proof` say a checkpoint or proof cannot be
 * trusted; `malformed` says an export line could not be read at all.
 */
export type EntryTamperKind = 'altered' | 'removed' | 'inserted' | 'reordered';
export type ProblemKind = EntryTamperKind | 'bad-signature' | 'bad-proof' | 'malformed';

export interface VerificationProblem {
  /** The entry concerned; null when the problem is not tied to one entry (a checkpoint, a header). */
  seq: number | null;
  kind: ProblemKind;
  message: string;
}

export interface LogVerification {
  ok: boolean;
  /** Entries confirmed intact before the first problem (all of them when ok). */
  checkedEvents: number;
  /** Largest tree size a valid signed checkpoint covers (0 when none was given). */
  signedTreeSize: number;
  firstProblem?: VerificationProblem;
}
