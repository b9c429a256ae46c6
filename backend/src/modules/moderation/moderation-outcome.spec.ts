import type { ModerationReport } from '@provenant/shared';
import { ModerationInputError, ModerationProviderError, DEFAULT_MODERATION_POLICY, ReportBuilder } from '../../engines/moderation';
import { StageRejection } from '../pipeline/pipeline-stage';
import { asStageError, moderationOutcome, withStoredFrames } from './moderation-outcome';
import { policySha256 } from './moderation-policies';

describe('moderation stage outcomes', () => {
  const active = { policy: DEFAULT_MODERATION_POLICY, sha256: policySha256(DEFAULT_MODERATION_POLICY) };
  const report = (provider: string, frames: Array<{ path: string; score: number }>): ModerationReport => {
    const builder = new ReportBuilder(DEFAULT_MODERATION_POLICY);
    builder.addDecided('frames', 'violence', 0.95, 'block');
    builder.addEvidence({
      kind: 'frames',
      source: 'frames',
      category: 'violence',
      maxScore: 0.95,
      framesOverReview: 2,
      longestRunOverBlock: 2,
      longestRunOverReview: 2,
      framesSampled: 4,
      worstFrames: frames.map((f, i) => ({ timestampSeconds: i + 1, score: f.score, thumbnailPath: f.path })),
    });
    return builder.build({ input: 'video', provider, models: [], speech: { status: 'no audio' }, framesSampled: 4 });
  };

  it('replaces frame paths by their content hashes and refuses a frame that is not stored', () => {
    const stored = withStoredFrames(report('openai', [{ path: '/store/aa', score: 0.95 }, { path: '/store/bb', score: 0.9 }]), new Map([['/store/aa', 'a'.repeat(64)], ['/store/bb', 'b'.repeat(64)]]));
    const frames = stored.evidence.find((e) => e.kind === 'frames')!;
    expect(frames.kind === 'frames' && frames.worstFrames).toEqual([
      { timestampSeconds: 1, score: 0.95, thumbnailSha256: 'a'.repeat(64) },
      { timestampSeconds: 2, score: 0.9, thumbnailSha256: 'b'.repeat(64) },
    ]);
    expect(() => withStoredFrames(report('openai', [{ path: '/tmp/elsewhere.jpg', score: 0.9 }]), new Map())).toThrow(/not in the content store/);
  });

  it('blocks with the worst verdict, naming every provider and the frames behind a block', () => {
    const clip = withStoredFrames(report('openai', [{ path: '/f', score: 0.95 }]), new Map([['/f', 'f'.repeat(64)]]));
    const outcome = moderationOutcome(active, [{ subject: 'clip', report: clip }, { subject: 'prompt', report: { ...clip, provider: 'local', verdict: 'allow' } }]);
    expect(outcome).toMatchObject({ verdict: 'block', result: { provider: 'openai+local', policyVersion: DEFAULT_MODERATION_POLICY.version, policySha256: active.sha256 } });
    expect(outcome.reason).toBe(`moderation blocked the clip: violence 0.95 (blocks at 0.9; frames at 1s) [policy ${DEFAULT_MODERATION_POLICY.version}]`);
  });

  it('fails at once for bad input and a refusing provider, and leaves an outage to the retries', () => {
    expect(asStageError(new ModerationInputError('IMAGE_TOO_LARGE', 'too big'))).toMatchObject({ reasonCode: 'MEDIA_UNREADABLE', message: 'IMAGE_TOO_LARGE: too big' });
    expect(asStageError(new ModerationInputError('TEXT_TOO_LONG', 'long'))).toMatchObject({ reasonCode: 'MODERATION_INPUT_REJECTED' });
    const refused = asStageError(new ModerationProviderError('openai', 'AUTH', false, 'HTTP 401'));
    expect(refused).toBeInstanceOf(StageRejection);
    expect(refused).toMatchObject({ reasonCode: 'MODERATION_PROVIDER_REFUSED', message: 'openai AUTH: HTTP 401' });
    const outage = new ModerationProviderError('openai', 'RATE_LIMITED', true, 'HTTP 429', 2);
    expect(asStageError(outage)).toBe(outage);
    const bug = new TypeError('boom');
    expect(asStageError(bug)).toBe(bug);
  });
});
