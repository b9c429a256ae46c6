import { MODERATION_CATEGORIES, type ModerationStageResult, type StageResultDto, type StoredModerationReport } from '@provenant/shared';
import { moderationSections } from './moderation-view';

const report = (over: Partial<StoredModerationReport>): StoredModerationReport => ({
  verdict: 'allow',
  policyVersion: 'site.3',
  provider: 'local',
  models: ['local-text-rules@1', 'tesseract.js/eng'],
  input: 'video',
  categories: Object.fromEntries(
    MODERATION_CATEGORIES.map((c) => [c, { score: 0, threshold: { review: 0.5, block: 0.85 }, verdict: 'allow', assessedBy: [] }]),
  ) as StoredModerationReport['categories'],
  evidence: [],
  speech: { status: 'not checked', reason: 'no local speech transcription model is available' },
  ...over,
});

const stage = (name: StageResultDto['stage'], result: ModerationStageResult | Record<string, unknown>, status: StageResultDto['status'] = 'succeeded'): StageResultDto => ({
  stage: name,
  status,
  verdict: status === 'succeeded' ? 'allow' : null,
  attempts: 1,
  startedAt: '2026-11-26T10:00:00.000Z',
  finishedAt: '2026-11-26T10:00:01.000Z',
  result,
  error: null,
});

describe('moderationSections', () => {
  it('shows each moderation report with every category against its thresholds, flagged ones first', () => {
    const flagged = report({ verdict: 'review' });
    flagged.categories.harassment = { score: 0.75, threshold: { review: 0.5, block: 0.85 }, verdict: 'review', assessedBy: ['on_screen_text'] };
    flagged.categories.violence = { score: 0.1, threshold: { review: 0.5, block: null }, verdict: 'allow', assessedBy: ['frames', 'speech'] };
    flagged.evidence = [
      { kind: 'text_match', source: 'on_screen_text', category: 'harassment', ruleId: 'harassment.degrade-person.v1', score: 0.75, normalised: 'everyone hates you', original: 'EVERY0NE HATES Y0U', start: 0, end: 18, frameTimestampSeconds: 2 },
      { kind: 'frames', source: 'on_screen_text', category: 'harassment', maxScore: 0.75, framesOverReview: 2, longestRunOverBlock: 0, longestRunOverReview: 2, framesSampled: 4, worstFrames: [{ timestampSeconds: 2, score: 0.75, thumbnailSha256: 'a'.repeat(64) }] },
      { kind: 'provider_fallback', from: 'openai', to: 'local', reason: 'HTTP 503' },
    ];
    const sections = moderationSections([
      stage('media_analysis', { frames: [] }),
      stage('prompt_moderation', { policyVersion: 'site.3', policySha256: 'f'.repeat(64), provider: 'local', reports: [{ subject: 'prompt', report: report({ input: 'text', speech: { status: 'not applicable' } }) }] }),
      stage('clip_moderation', { policyVersion: 'site.3', policySha256: 'f'.repeat(64), provider: 'local', reports: [{ subject: 'clip', report: flagged }] }),
    ]);
    expect(sections.map((s) => `${s.title}:${s.verdict}`)).toEqual(['Prompt:allow', 'Clip:review']);
    const clip = sections[1];
    expect(clip.categories).toHaveLength(13);
    expect(clip.categories[0]).toEqual({ category: 'harassment', score: '0.750', review: '0.500', block: '0.850', verdict: 'review', assessedBy: 'on-screen text' });
    expect(clip.categories.find((c) => c.category === 'violence')).toMatchObject({ block: 'never', assessedBy: 'frames, speech' });
    expect(clip.categories.find((c) => c.category === 'hate')!.assessedBy).toBeNull();
    expect(clip.textMatches).toEqual([{ source: 'on-screen text', category: 'harassment', ruleId: 'harassment.degrade-person.v1', score: '0.750', normalised: 'everyone hates you', original: 'EVERY0NE HATES Y0U', at: 2 }]);
    expect(clip.frames).toEqual([
      { category: 'harassment', source: 'on-screen text', maxScore: '0.750', runs: '2 of 4 frames at or over review; longest run over block 0', note: null, worstFrames: [{ timestampSeconds: 2, score: 0.75, thumbnailSha256: 'a'.repeat(64) }] },
    ]);
    expect(clip.notes).toEqual(['openai was unavailable, local moderated instead (HTTP 503)']);
    expect(clip.speech).toBe('not checked: no local speech transcription model is available');
    expect(sections[0].speech).toBe('not applicable');
  });

  it('says when a block went to review because a senior granted the appeal of the prompt block in its category', () => {
    const blocked = report({ verdict: 'block' });
    blocked.categories['violence/graphic'] = { score: 0.9, threshold: { review: 0.5, block: 0.85 }, verdict: 'block', assessedBy: ['on_screen_text'] };
    const result: ModerationStageResult = { policyVersion: 'site.3', policySha256: 'f'.repeat(64), provider: 'local', reports: [{ subject: 'clip', report: blocked }] };
    const [granted] = moderationSections([stage('clip_moderation', { ...result, grantedOnAppeal: ['violence/graphic'] })]);
    expect({ verdict: granted.verdict, notes: granted.notes }).toEqual({
      verdict: 'block',
      notes: ["violence/graphic: would block, but a senior reviewer granted the appeal of the prompt's block in this category, so the clip goes to a four-eyes review instead"],
    });
    expect(moderationSections([stage('clip_moderation', result)])[0].notes).toEqual([]);
  });

  it('shows nothing for a moderation stage that failed, so a failure is never read as a clean result', () => {
    expect(moderationSections([stage('clip_moderation', {}, 'failed')])).toEqual([]);
  });
});
