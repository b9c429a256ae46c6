import type { CheckVerdict, ClipLikenessStageResult, LikenessConsent, LikenessFaceMatch, LikenessStageResult, StageResultDto } from '@provenant/shared';

/** What a reader sees of one name found in the prompt or one face found in the clip. */
export interface LikenessRow {
  /** Where: "prompt" or the clip's seconds the face was seen at. */
  where: string;
  /** The words of the prompt (or their position once the prompt was erased), or the face's match distance. */
  found: string;
  /** The registry subject (staff only); null for an unregistered name or a creator's view. */
  who: string | null;
  consent: string;
  outcome: CheckVerdict;
}

export interface LikenessSection {
  title: string;
  verdict: CheckVerdict;
  policyVersion: string;
  rows: LikenessRow[];
  /** Plain statements of what was found or not checked. */
  notes: string[];
}

const CONSENT_TEXT: Record<LikenessConsent, string> = {
  granted: 'allowed: the person granted this creator',
  own_likeness: 'allowed: the creator’s own enrolled likeness',
  no_grant: 'no consent: the person has not allowed this creator',
  protected: 'protected: never generated',
  unregistered: 'not in the registry: a person’s name, for a human to judge',
};

const REFERENCE_NOTE: Record<LikenessStageResult['referenceImage'], string | null> = {
  none: null,
  checked: null,
  no_templates: 'No face is enrolled in the registry, so the reference image was not analysed.',
  not_checked: 'The reference image is a WebP, which the face check does not read: it was not checked for faces.',
};

const who = (subjectId: string | null, displayName?: string) => (subjectId ? (displayName ?? `subject ${subjectId.slice(0, 8)} (erased)`) : null);
const succeeded = (stages: readonly StageResultDto[], name: string) => stages.find((s) => s.stage === name && s.status === 'succeeded');

/** The likeness results of a clip, prompt names then clip faces; a stage that has not run has no section. */
export function likenessSections(stages: readonly StageResultDto[]): LikenessSection[] {
  const sections: LikenessSection[] = [];
  const prompt = succeeded(stages, 'prompt_likeness');
  if (prompt) {
    const result = prompt.result as LikenessStageResult;
    sections.push({
      title: 'Names in the prompt',
      verdict: prompt.verdict!,
      policyVersion: result.policyVersion,
      rows: [
        ...result.names.map((n) => ({
          where: 'prompt',
          found: `${n.matched.text ?? `characters ${n.matched.start}–${n.matched.end} (prompt erased)`} (${n.via === 'registry' ? 'registry' : 'name recognition'})`,
          who: who(n.subjectId, n.displayName),
          consent: CONSENT_TEXT[n.consent],
          outcome: n.outcome,
        })),
        ...(result.referenceFaces ?? []).map((f) => faceRow(f, 'reference image')),
      ],
      notes: [REFERENCE_NOTE[result.referenceImage]].filter((n): n is string => n !== null),
    });
  }
  const clip = succeeded(stages, 'clip_likeness');
  if (clip) {
    const result = clip.result as ClipLikenessStageResult;
    const notes =
      result.analysed === 'no_templates'
        ? ['No face is enrolled in the registry, so no frame was analysed.']
        : [`${result.framesAnalysed} frames analysed; ${result.unknownFaces} face(s) matched no one in the registry.`];
    sections.push({
      title: 'Faces in the clip',
      verdict: clip.verdict!,
      policyVersion: result.policyVersion,
      rows: result.faces.map((f) => faceRow(f, `${f.times[0]}–${f.times[f.times.length - 1]} s`)),
      notes,
    });
  }
  return sections;
}

function faceRow(f: LikenessFaceMatch, where: string): LikenessRow {
  return {
    where,
    found: `face, distance ${f.distance.toFixed(3)} (${f.band === 'same' ? 'same person' : 'uncertain'}; same ≤ ${f.matchThreshold}, different ≥ ${f.differentThreshold})`,
    who: who(f.subjectId, f.displayName),
    consent: CONSENT_TEXT[f.consent],
    outcome: f.outcome,
  };
}
