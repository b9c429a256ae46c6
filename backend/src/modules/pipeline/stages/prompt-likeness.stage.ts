import { DEFAULT_LIKENESS_POLICY, type LikenessNameMatch, type LikenessStageResult } from '@provenant/shared';
import { findPersonNames } from '../../../engines/gazetteer';
import { consentOf, likenessBlockReason, likenessVerdict, outcomeOf } from '../../likeness/likeness-outcome';
import type { LikenessRegistrySource } from '../../likeness/likeness-registry-snapshot';
import type { PipelineStage, StageClip, StageContext, StageOutcome } from '../pipeline-stage';

/**
 * Names of people in a prompt, before anything is generated: the registry's
 * names and aliases (after the moderation normaliser), each judged by the
 * subject's consent for this creator; and full names that name recognition
 * finds but the registry does not hold, which only send the clip to a human.
 * The result stores subject ids and character offsets, never the names: those
 * stay in the registry and are erased with it.
 */
export class PromptLikenessStage implements PipelineStage {
  readonly name = 'prompt_likeness' as const;
  readonly phase = 'PROMPT_CHECK' as const;
  readonly checkNote = 'faces in the reference image are not checked';

  constructor(private readonly registry: LikenessRegistrySource) {}

  appliesTo(clip: StageClip): boolean {
    return clip.source === 'prompt';
  }

  async run({ clip }: StageContext): Promise<StageOutcome> {
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
    const result: LikenessStageResult = {
      policyVersion: policy.version,
      registryVersion: registry.version,
      names,
      referenceImage: clip.referenceImageSha256 ? 'not_checked' : 'none',
    };
    const verdict = likenessVerdict(names);
    return { verdict, result, ...(verdict === 'block' ? { reason: likenessBlockReason(names) } : {}) };
  }
}

const span = (m: { start: number; end: number }) => ({ start: m.start, end: m.end });
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
