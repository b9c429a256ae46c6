import { DEFAULT_LIKENESS_POLICY, type LikenessFaceMatch, type LikenessNameMatch, type LikenessStageResult } from '@provenant/shared';
import { findPersonNames } from '../../../engines/gazetteer';
import type { FaceAnalysisSource } from '../../likeness/face-analysis';
import { matchFaces } from '../../likeness/face-matching';
import { consentOf, likenessBlockReason, likenessVerdict, outcomeOf } from '../../likeness/likeness-outcome';
import type { LikenessRegistrySource, LikenessRegistryView } from '../../likeness/likeness-registry-snapshot';
import type { PipelineStage, StageClip, StageContext, StageOutcome } from '../pipeline-stage';
import { facesInStoredPicture } from './face-pictures';

/**
 * People in a prompt, before anything is generated: the registry's names and
 * aliases (after the moderation normaliser) and the faces of the reference
 * image, each judged by the subject's consent for this creator; and full
 * names that name recognition finds but the registry does not hold, which
 * only send the clip to a human. The result stores subject ids and
 * character offsets, never the names: those stay in the registry and are
 * erased with it.
 */
export class PromptLikenessStage implements PipelineStage {
  readonly name = 'prompt_likeness' as const;
  readonly phase = 'PROMPT_CHECK' as const;
  readonly checkNote = 'a WebP reference image is not checked for faces';

  constructor(
    private readonly registry: LikenessRegistrySource,
    private readonly faces: FaceAnalysisSource,
  ) {}

  appliesTo(clip: StageClip): boolean {
    return clip.source === 'prompt';
  }

  async run({ clip, store }: StageContext): Promise<StageOutcome> {
    const policy = DEFAULT_LIKENESS_POLICY;
    const prompt = clip.prompt ?? '';
    const registry = await this.registry.current();
    const now = new Date();
    const names: LikenessNameMatch[] = [];
    const covered: Array<[number, number]> = [];
    for (const hit of registry.names.find(prompt)) {
      const subject = registry.subjects.get(hit.entryId)!;
      // One finding per subject and place: an alias inside the display name ("Quinlan" in "Ada Quinlan") adds nothing.
      if (names.some((n) => n.subjectId === subject.id && overlaps(n.matched, hit.matched))) continue;
      const { consent, grantId } = consentOf(subject, registry.grants.get(subject.id) ?? [], clip.createdBy, now);
      names.push({ subjectId: subject.id, consent, outcome: outcomeOf(policy, consent), matched: span(hit.matched), via: 'registry', ...(grantId ? { grantId } : {}) });
      covered.push([hit.matched.start, hit.matched.end]);
    }
    for (const person of findPersonNames(prompt)) {
      if (covered.some(([start, end]) => person.start < end && start < person.end)) continue;
      names.push({ subjectId: null, consent: 'unregistered', outcome: outcomeOf(policy, 'unregistered'), matched: span(person), via: 'ner' });
    }
    const reference = await this.referenceFaces(clip, store, registry);
    const result: LikenessStageResult = { policyVersion: policy.version, registryVersion: registry.version, names, ...reference };
    const verdict = likenessVerdict([...names, ...(reference.referenceFaces ?? [])]);
    if (verdict !== 'block') return { verdict, result };
    const reasons = [
      likenessVerdict(names) === 'block' ? likenessBlockReason(names) : null,
      likenessVerdict(reference.referenceFaces ?? []) === 'block' ? likenessBlockReason(reference.referenceFaces!, 'the reference image shows') : null,
    ].filter(Boolean);
    return { verdict, result, reason: reasons.join('; ') };
  }

  private async referenceFaces(
    clip: StageClip,
    store: StageContext['store'],
    registry: LikenessRegistryView,
  ): Promise<Pick<LikenessStageResult, 'referenceImage' | 'referenceFaces'>> {
    if (!clip.referenceImageSha256) return { referenceImage: 'none' };
    if (registry.faces.size === 0) return { referenceImage: 'no_templates' };
    if (clip.referenceImageType === 'image/webp') return { referenceImage: 'not_checked' };
    const { image: _image, ...picture } = await facesInStoredPicture(this.faces, store, clip.referenceImageSha256, 0);
    const referenceFaces: LikenessFaceMatch[] = (await matchFaces([picture], registry, clip.createdBy, DEFAULT_LIKENESS_POLICY)).faces;
    return { referenceImage: 'checked', referenceFaces };
  }
}

const span = (m: { start: number; end: number }) => ({ start: m.start, end: m.end });
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
