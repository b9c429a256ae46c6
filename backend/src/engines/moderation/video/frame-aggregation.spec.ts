import { DEFAULT_MODERATION_POLICY } from '../policy/moderation-policy';
import { aggregateFrames, ScoredFrame } from './frame-aggregation';

const frames = (category: string, scores: number[]): ScoredFrame[] =>
  scores.map((score, i) => ({ timestampSeconds: i, path: `/frames/${i}.jpg`, scores: { [category]: score } }));

describe('aggregateFrames', () => {
  const policy = DEFAULT_MODERATION_POLICY; // block needs 2 consecutive frames

  it('does not block on one noisy frame, but sends it to review', () => {
    const result = aggregateFrames(frames('violence/graphic', [0.1, 0.95, 0.1, 0.2]), policy, { source: 'frames' }).get('violence/graphic')!;
    expect(result.verdict).toBe('review');
    expect(result.evidence).toMatchObject({ maxScore: 0.95, longestRunOverBlock: 1, framesOverReview: 1 });
    expect(result.evidence.note).toContain('2 needed to block');
  });

  it('blocks a short explicit segment instead of averaging it away', () => {
    const result = aggregateFrames(frames('violence/graphic', [0.05, 0.05, 0.9, 0.92, 0.05, 0.05, 0.05, 0.05]), policy, { source: 'frames' }).get('violence/graphic')!;
    expect(result.verdict).toBe('block');
    expect(result.evidence.longestRunOverBlock).toBe(2);
    expect(result.evidence.worstFrames.map((f) => f.timestampSeconds)).toEqual([3, 2, 0]);
    expect(result.evidence.worstFrames[0].thumbnailPath).toBe('/frames/3.jpg');
  });

  it('counts consecutive frames in time order, not in the order given', () => {
    const shuffled = frames('violence', [0.95, 0.1, 0.95]).map((f, i) => ({ ...f, timestampSeconds: [0, 2, 1][i] }));
    expect(aggregateFrames(shuffled, policy, { source: 'frames' }).get('violence')!.evidence.longestRunOverBlock).toBe(2);
  });

  it('keeps advisory signals at review however long the run', () => {
    const result = aggregateFrames(frames('sexual', [0.99, 0.99, 0.99]), policy, { source: 'frames', reviewOnly: new Set(['sexual']) }).get('sexual')!;
    expect(result.verdict).toBe('review');
    expect(result.evidence.note).toContain('advisory');
  });

  it('blocks sexual/minors on a single frame: it is a hard rule', () => {
    const result = aggregateFrames(frames('sexual/minors', [0.1, 0.6, 0.1]), policy, { source: 'on_screen_text' }).get('sexual/minors')!;
    expect(result.verdict).toBe('block');
  });

  it('leaves out categories no frame assessed', () => {
    const result = aggregateFrames(frames('sexual', [0.1]), policy, { source: 'frames' });
    expect([...result.keys()]).toEqual(['sexual']);
  });
});
