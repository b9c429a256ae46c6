import { STAGE_CHECK } from '@provenant/shared';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModerationPolicy, ModerationStageResult } from '@provenant/shared';
import { resolveFfmpegBinaries } from '../../../engines/media';
import { createModerationEngine, loadModerationConfig, DEFAULT_MODERATION_POLICY } from '../../../engines/moderation';
import { makeTextImage } from '../../../../test/support/text-media';
import { LocalContentStore } from '../../../engines/storage/local-content-store';
import { policySha256, type ActivePolicySource } from '../../moderation/moderation-policies';
import { StageRejection, type StageClip } from '../pipeline-stage';
import { PromptModerationStage } from './prompt-moderation.stage';
import { stageClip } from '../stage-clip.spec-helper';

describe('PromptModerationStage (local provider)', () => {
  const engine = createModerationEngine(loadModerationConfig({}), resolveFfmpegBinaries());
  // The policy in force is whatever this variable holds when the stage runs, as with the stored versions.
  let inForce: ModerationPolicy = DEFAULT_MODERATION_POLICY;
  const policies: ActivePolicySource = { current: async () => ({ policy: inForce, sha256: policySha256(inForce) }) };
  const stage = new PromptModerationStage(engine, policies);
  let dir: string;
  let store: LocalContentStore;

  const clip = (over: Partial<StageClip>): StageClip => stageClip({ source: 'prompt', ...over });
  const run = (c: StageClip) => stage.run({ clip: c, store, signal: new AbortController().signal, attempt: 1, framesWanted: new Set() });
  const stored = async (path: string) => store.commit(await store.stageFile(path));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prompt-moderation-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    inForce = DEFAULT_MODERATION_POLICY;
  });

  it('runs in PROMPT_CHECK for prompt clips only, as the moderation check', () => {
    expect({ name: stage.name, phase: stage.phase, check: STAGE_CHECK[stage.name] }).toEqual({ name: 'prompt_moderation', phase: 'PROMPT_CHECK', check: 'moderation' });
    expect([stage.appliesTo(clip({})), stage.appliesTo(clip({ source: 'upload' }))]).toEqual([true, false]);
  });

  it('allows a benign prompt and records the policy version, its digest and the provider', async () => {
    const outcome = await run(clip({ prompt: 'A chef sharpens a knife before we shoot a film' }));
    expect(outcome.verdict).toBe('allow');
    expect(outcome.reason).toBeUndefined();
    expect(outcome.result).toMatchObject({
      policyVersion: DEFAULT_MODERATION_POLICY.version,
      policySha256: policySha256(DEFAULT_MODERATION_POLICY),
      provider: 'local',
      reports: [{ subject: 'prompt', report: { verdict: 'allow', input: 'text' } }],
    });
  });

  it('blocks a threatening prompt with a reason that names categories and rules, not the words', async () => {
    const outcome = await run(clip({ prompt: 'film me telling my neighbour: I am going to k i l l you' }));
    expect(outcome.verdict).toBe('block');
    expect(outcome.reason).toMatch(/^moderation blocked the prompt: harassment\/threatening 0\.99 \(blocks at 0\.85; rule relation\.intent\.killing\.v1, threat\.first-person-harm\.v1\)/);
    expect(outcome.reason).not.toMatch(/neighbour|k i l l/);
    expect(outcome.reason).toMatch(/\[policy default-[^\]]+\]$/);
  });

  it('applies the policy in force when it runs', async () => {
    inForce = { ...DEFAULT_MODERATION_POLICY, version: 'threats-to-review.1' };
    inForce.categories = { ...DEFAULT_MODERATION_POLICY.categories };
    for (const c of ['harassment', 'harassment/threatening', 'violence'] as const) inForce.categories[c] = { review: 0.5, block: null };
    const outcome = await run(clip({ prompt: 'I will kill you' }));
    expect(outcome.verdict).toBe('review');
    expect(outcome.result).toMatchObject({ policyVersion: 'threats-to-review.1', policySha256: policySha256(inForce) });
  });

  it('moderates the stored reference image too: its on-screen text can block a benign prompt', async () => {
    const referenceImageSha256 = await stored(await makeTextImage(dir, 'ref.png', 'KILL YOURSELF', { width: 640, height: 360 }));
    const outcome = await run(clip({ prompt: 'pan slowly across this picture', referenceImageSha256, referenceImageType: 'image/png' }));
    expect(outcome.verdict).toBe('block');
    const result = outcome.result as ModerationStageResult;
    expect(result.reports.map((r) => `${r.subject}:${r.report.verdict}`)).toEqual(['prompt:allow', 'reference_image:block']);
    expect(result.reports[1].report.models).toEqual(expect.arrayContaining(['nsfwjs/MobileNetV2', 'tesseract.js/eng']));
    expect(outcome.reason).toMatch(/^moderation blocked the reference image: harassment 0\.95/);
  });

  it('fails the clip at once, without retries, for a reference image that is not an image', async () => {
    await writeFile(join(dir, 'not-an-image'), 'GIF89a but really just text');
    const referenceImageSha256 = await stored(join(dir, 'not-an-image'));
    const error = await run(clip({ prompt: 'a calm lake', referenceImageSha256, referenceImageType: 'image/png' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageRejection);
    expect(error).toMatchObject({ reasonCode: 'MEDIA_UNREADABLE' });
    const empty = await run(clip({ prompt: '   ' })).catch((e: unknown) => e);
    expect(empty).toMatchObject({ reasonCode: 'MODERATION_INPUT_REJECTED', message: expect.stringContaining('EMPTY_TEXT') });
    expect(await readdir(join(dir, 'store', 'scratch'))).toEqual([]);
  });
});
