import type { ClipLikenessStageResult, LikenessStageResult, StageResultDto } from '@provenant/shared';
import { likenessSections } from './likeness-view';

const stage = (name: 'prompt_likeness' | 'clip_likeness', result: LikenessStageResult | ClipLikenessStageResult, verdict: StageResultDto['verdict']): StageResultDto => ({
  stage: name,
  status: 'succeeded',
  verdict,
  attempts: 1,
  startedAt: '2026-12-04T10:00:00.000Z',
  finishedAt: '2026-12-04T10:00:01.000Z',
  result,
  error: null,
});

describe('likenessSections', () => {
  it('shows each name with who matched (staff), the consent in words and how it was found', () => {
    const [names] = likenessSections([
      stage(
        'prompt_likeness',
        {
          policyVersion: 'likeness-default.1',
          registryVersion: 3,
          referenceImage: 'not_checked',
          names: [
            { subjectId: '5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e', displayName: 'Ada Quinlan', consent: 'protected', outcome: 'block', via: 'registry', matched: { start: 0, end: 11, text: 'Ada Quinlan' } },
            { subjectId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', consent: 'no_grant', outcome: 'block', via: 'registry', matched: { start: 20, end: 34 } },
            { subjectId: null, consent: 'unregistered', outcome: 'review', via: 'ner', matched: { start: 40, end: 56, text: 'Marcus Whitfield' } },
          ],
        },
        'block',
      ),
    ]);
    expect(names.rows).toEqual([
      { where: 'prompt', found: 'Ada Quinlan (registry)', who: 'Ada Quinlan', consent: 'protected: never generated', outcome: 'block' },
      { where: 'prompt', found: 'characters 20–34 (prompt erased) (registry)', who: 'subject 0c1d2e3f (erased)', consent: 'no consent: the person has not allowed this creator', outcome: 'block' },
      { where: 'prompt', found: 'Marcus Whitfield (name recognition)', who: null, consent: 'not in the registry: a person’s name, for a human to judge', outcome: 'review' },
    ]);
    expect(names.notes).toEqual(['The reference image is a WebP, which the face check does not read: it was not checked for faces.']);
  });

  it('shows each matched face with when, how close and why; says when nothing was analysed', () => {
    const base = { policyVersion: 'likeness-default.1', registryVersion: 4, modelVersion: 'human-3.3.6/faceres' };
    const face = {
      subjectId: null,
      consent: 'no_grant' as const,
      outcome: 'block' as const,
      band: 'same' as const,
      distance: 0.1234,
      matchThreshold: 0.43,
      differentThreshold: 0.53,
      modelVersion: 'human-3.3.6/faceres',
      times: [0, 1, 2],
      atSeconds: 1,
      box: { x: 10, y: 20, width: 100, height: 120 },
      frameWidth: 512,
      frameHeight: 288,
    };
    const [faces] = likenessSections([stage('clip_likeness', { ...base, analysed: 'frames', framesAnalysed: 4, faces: [face], unknownFaces: 1 }, 'block')]);
    expect(faces.rows).toEqual([{ where: '0–2 s', found: 'face, distance 0.123 (same person; same ≤ 0.43, different ≥ 0.53)', who: null, consent: 'no consent: the person has not allowed this creator', outcome: 'block' }]);
    expect(faces.notes).toEqual(['4 frames analysed; 1 face(s) matched no one in the registry.']);
    const [none] = likenessSections([stage('clip_likeness', { ...base, analysed: 'no_templates', framesAnalysed: 0, faces: [], unknownFaces: 0 }, 'allow')]);
    expect(none.notes).toEqual(['No face is enrolled in the registry, so no frame was analysed.']);
  });

  it('is empty before the stages ran', () => {
    expect(likenessSections([])).toEqual([]);
  });
});
