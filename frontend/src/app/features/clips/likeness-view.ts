import type { CheckVerdict, LikenessConsent, LikenessStageResult, StageResultDto } from '@provenant/shared';

/** What a reader sees of one name found in a prompt. */
export interface LikenessNameRow {
  /** The words of the prompt, or their position once the prompt was erased. */
  matched: string;
  /** The registry subject (staff only); null for an unregistered name or a creator's view. */
  who: string | null;
  consent: string;
  outcome: CheckVerdict;
  via: 'registry' | 'name recognition';
}

export interface LikenessSummary {
  verdict: CheckVerdict | null;
  policyVersion: string | null;
  rows: LikenessNameRow[];
  /** Plain statements of what was not checked. */
  notes: string[];
}

const CONSENT_TEXT: Record<LikenessConsent, string> = {
  granted: 'allowed: the person granted this creator',
  own_likeness: 'allowed: the creator’s own enrolled likeness',
  no_grant: 'no consent: the person has not allowed this creator',
  protected: 'protected: never generated',
  unregistered: 'not in the registry: a person’s name, for a human to judge',
};

/** The prompt likeness result of a clip as rows, or an empty summary when the stage has not run. */
export function likenessSummary(stages: readonly StageResultDto[]): LikenessSummary {
  const stage = stages.find((s) => s.stage === 'prompt_likeness' && s.status === 'succeeded');
  if (!stage) return { verdict: null, policyVersion: null, rows: [], notes: [] };
  const result = stage.result as LikenessStageResult;
  const rows = result.names.map((n) => ({
    matched: n.matched.text ?? `characters ${n.matched.start}–${n.matched.end} (prompt erased)`,
    who: n.subjectId ? (n.displayName ?? `subject ${n.subjectId.slice(0, 8)} (erased)`) : null,
    consent: CONSENT_TEXT[n.consent],
    outcome: n.outcome,
    via: n.via === 'registry' ? ('registry' as const) : ('name recognition' as const),
  }));
  const notes = ['Faces in the clip are not checked in this build (face matching is not built yet).'];
  if (result.referenceImage === 'not_checked') notes.unshift('The reference image was not checked for faces.');
  return { verdict: stage.verdict, policyVersion: result.policyVersion, rows, notes };
}
