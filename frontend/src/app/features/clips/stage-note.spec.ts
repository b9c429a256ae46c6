import type { StageResultDto } from '@provenant/shared';
import { stageNote } from './stage-note';

const stage = (result: Record<string, unknown>): StageResultDto => ({
  stage: 'prior_provenance',
  status: 'succeeded',
  verdict: 'review',
  attempts: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  result,
  error: null,
});

describe('stageNote', () => {
  it("shows a stage's note to the reviewer, and nothing when there is none", () => {
    expect(stageNote(stage({ note: 'this file is clip 1 by another creator, in state RELEASED' }))).toBe('this file is clip 1 by another creator, in state RELEASED');
    expect(stageNote(stage({ note: null, found: null }))).toBeNull();
    expect(stageNote(stage({ note: '' }))).toBeNull();
    expect(stageNote(stage({ note: { not: 'text' } }))).toBeNull();
  });
});
