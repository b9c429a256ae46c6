import type { LikenessStageResult, StageResultDto } from '@provenant/shared';
import { likenessSummary } from './likeness-view';

const stage = (result: LikenessStageResult, verdict: StageResultDto['verdict'] = 'block'): StageResultDto => ({
  stage: 'prompt_likeness',
  status: 'succeeded',
  verdict,
  attempts: 1,
  startedAt: '2026-12-04T10:00:00.000Z',
  finishedAt: '2026-12-04T10:00:01.000Z',
  result,
  error: null,
});

describe('likenessSummary', () => {
  it('shows each name with who matched (staff), the consent in words and how it was found', () => {
    const summary = likenessSummary([
      stage({
        policyVersion: 'likeness-default.1',
        registryVersion: 3,
        referenceImage: 'not_checked',
        names: [
          { subjectId: '5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e', displayName: 'Ada Quinlan', consent: 'protected', outcome: 'block', via: 'registry', matched: { start: 0, end: 11, text: 'Ada Quinlan' } },
          { subjectId: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', consent: 'no_grant', outcome: 'block', via: 'registry', matched: { start: 20, end: 34 } },
          { subjectId: null, consent: 'unregistered', outcome: 'review', via: 'ner', matched: { start: 40, end: 56, text: 'Marcus Whitfield' } },
        ],
      }),
    ]);
    expect(summary.verdict).toBe('block');
    expect(summary.rows).toEqual([
      { matched: 'Ada Quinlan', who: 'Ada Quinlan', consent: 'protected: never generated', outcome: 'block', via: 'registry' },
      { matched: 'characters 20–34 (prompt erased)', who: 'subject 0c1d2e3f (erased)', consent: 'no consent: the person has not allowed this creator', outcome: 'block', via: 'registry' },
      { matched: 'Marcus Whitfield', who: null, consent: 'not in the registry: a person’s name, for a human to judge', outcome: 'review', via: 'name recognition' },
    ]);
    expect(summary.notes[0]).toBe('The reference image was not checked for faces.');
  });

  it('is empty before the stage ran', () => {
    expect(likenessSummary([])).toEqual({ verdict: null, policyVersion: null, rows: [], notes: [] });
  });
});
