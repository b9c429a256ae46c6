import { checkKindCatalogue, clipStateCatalogue, activeReasonCodes, reviewReasonCatalogue } from './catalogues';
import { CLIP_STATES, CLIP_TRANSITIONS } from './clip-state';
import { REVIEW_REASON_CATALOG_VERSION, REVIEW_REASON_CODES } from './reason-codes';

describe('the served catalogues', () => {
  it('list every clip state with exactly its transitions', () => {
    const { states } = clipStateCatalogue();
    expect(states.map((s) => s.state)).toEqual([...CLIP_STATES]);
    for (const entry of states) expect(entry.next).toEqual([...CLIP_TRANSITIONS[entry.state]]);
    expect(states.filter((s) => s.terminal).map((s) => s.state)).toEqual(['RELEASED', 'FAILED']);
  });

  it('name each check with the stages that implement it', () => {
    expect(checkKindCatalogue().checks).toContainEqual({ kind: 'signing', stages: ['signing'] });
    expect(checkKindCatalogue().checks).toContainEqual({ kind: 'likeness', stages: ['prompt_likeness', 'clip_likeness'] });
    expect(checkKindCatalogue().checks).toContainEqual({ kind: 'copyright', stages: [] });
  });

  it('carry the reason catalogue version and leave retired codes out of the valid ones', () => {
    expect(reviewReasonCatalogue()).toEqual({ version: REVIEW_REASON_CATALOG_VERSION, codes: REVIEW_REASON_CODES });
    expect(activeReasonCodes('escalate')).toEqual(REVIEW_REASON_CODES.escalate.map((r) => r.code));
  });
});
