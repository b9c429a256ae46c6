import { Gazetteer } from '../../../engines/gazetteer';
import { LIKENESS_MODEL_VERSION, TemplateIndex } from '../../../engines/likeness';
import type { LikenessRegistryView } from '../../likeness/likeness-registry-snapshot';
import type { LikenessSubjectRecord } from '../../likeness/likeness-subject.repository';
import { stageClip } from '../stage-clip.spec-helper';
import type { StageContext } from '../pipeline-stage';
import { PromptLikenessStage } from './prompt-likeness.stage';

const NOW = new Date();
const quinlan: LikenessSubjectRecord = { id: 'q', kind: 'protected', displayName: 'Ada Quinlan', aliases: ['Countess Quinlan', 'Quinlan'], distinctive: true, userId: null, createdAt: NOW };
const view: LikenessRegistryView = {
  version: 7,
  names: new Gazetteer([quinlan.displayName, ...quinlan.aliases].map((phrase) => ({ id: quinlan.id, phrase, distinctive: quinlan.distinctive }))),
  faces: new TemplateIndex(LIKENESS_MODEL_VERSION),
  subjects: new Map([[quinlan.id, quinlan]]),
  grants: new Map(),
};
// No templates in this view, so the face analysis is never asked.
const stage = new PromptLikenessStage({ current: async () => view }, { analyse: () => Promise.reject(new Error('not called without templates')) });
const run = (prompt: string, over = {}) => stage.run({ clip: stageClip({ source: 'prompt', prompt, ...over }) } as StageContext);

describe('PromptLikenessStage', () => {
  it('blocks a prompt naming a protected subject once per place, with offsets and no names in the result', async () => {
    const outcome = await run('Ada Quinlan meets the Countess Quinlan');
    expect(outcome).toEqual({
      verdict: 'block',
      reason: 'likeness: the prompt names a protected person, who is never generated',
      result: {
        policyVersion: 'likeness-default.1',
        registryVersion: 7,
        referenceImage: 'none',
        names: [
          { subjectId: 'q', consent: 'protected', outcome: 'block', via: 'registry', matched: { start: 0, end: 11 } },
          { subjectId: 'q', consent: 'protected', outcome: 'block', via: 'registry', matched: { start: 22, end: 38 } },
        ],
      },
    });
    expect(JSON.stringify(outcome.result)).not.toContain('Quinlan');
  });

  it('sends a full name the registry does not hold to review; with no face enrolled the reference image is not analysed', async () => {
    const outcome = await run('Marcus Whitfield on a beach', { referenceImageSha256: 'a'.repeat(64) });
    expect(outcome).toEqual({
      verdict: 'review',
      result: expect.objectContaining({ referenceImage: 'no_templates', names: [{ subjectId: null, consent: 'unregistered', outcome: 'review', via: 'ner', matched: { start: 0, end: 16 } }] }),
    });
  });

  it('allows a prompt without people, and applies to prompts only', async () => {
    expect(await run('a paper boat on a puddle')).toEqual({ verdict: 'allow', result: expect.objectContaining({ names: [] }) });
    expect(stage.appliesTo(stageClip({ source: 'upload' }))).toBe(false);
  });
});
