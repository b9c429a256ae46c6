import { STAGE_CHECK } from '@provenant/shared';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModerationCategory, ModerationStageResult, StoredWorstFrame } from '@provenant/shared';
import { resolveFfmpegBinaries } from '../../../engines/media';
import { createModerationEngine, loadModerationConfig, DEFAULT_MODERATION_POLICY } from '../../../engines/moderation';
import { makeTextClip } from '../../../../test/support/text-media';
import { LocalContentStore } from '../../../engines/storage/local-content-store';
import { WatermarkDetector } from '../../../engines/watermark';
import type { AnalysedFrame, AnalysedFrameSource } from '../../moderation/analysis-frames';
import { policySha256, type ActivePolicySource } from '../../moderation/moderation-policies';
import { StageRejection, type StageClip, type StageContext } from '../pipeline-stage';
import { ClipModerationStage } from './clip-moderation.stage';
import { MediaAnalysisStage } from './media-analysis.stage';
import { stageClip } from '../stage-clip.spec-helper';

describe('ClipModerationStage (local provider) on the frames media analysis stored', () => {
  const bins = resolveFfmpegBinaries();
  const engine = createModerationEngine(loadModerationConfig({}), bins);
  const policies: ActivePolicySource = { current: async () => ({ policy: DEFAULT_MODERATION_POLICY, sha256: policySha256(DEFAULT_MODERATION_POLICY) }) };
  // What the media_analysis stage stored, per clip id, as the pipeline hands it over.
  const analysed = new Map<string, AnalysedFrame[]>();
  const frameSource: AnalysedFrameSource = {
    framesOf: async (clipId) => {
      const frames = analysed.get(clipId);
      if (!frames) throw new Error(`clip ${clipId} has no media analysis to moderate`);
      return frames;
    },
  };
  // The categories each clip's prompt was blocked in, as GrantedPromptBlocks reads them from its prompt_moderation result.
  const promptBlocks = new Map<string, ModerationCategory[]>();
  const stage = new ClipModerationStage(engine, policies, frameSource, { categoriesOf: async (clipId) => new Set(promptBlocks.get(clipId) ?? []) });
  let dir: string;
  let store: LocalContentStore;

  const context = (clip: StageClip): StageContext => ({ clip, store, signal: new AbortController().signal, attempt: 1, framesWanted: new Set() });
  /** Stores a clip and runs the real media analysis on it, as the pipeline does before this stage. */
  async function analysedClip(id: string, file: string): Promise<StageClip> {
    const mediaSha256 = await store.commit(await store.stageFile(file));
    const clip = stageClip({ id, mediaSha256 });
    const media = { sha256: mediaSha256, bytes: 0, container: 'mp4', durationSeconds: 3, width: 640, height: 360, videoCodec: 'h264', audioCodec: null, frameRate: 30 };
    const analysis = await new MediaAnalysisStage(bins, 30_000, new WatermarkDetector(bins, { timeoutMs: 30_000 })).run(context({ ...clip, media }));
    analysed.set(id, analysis.result.frames as AnalysedFrame[]);
    return clip;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clip-moderation-'));
    store = await new LocalContentStore(join(dir, 'store')).init();
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs in ANALYZING for every clip, as the moderation check', () => {
    expect({ name: stage.name, phase: stage.phase, check: STAGE_CHECK[stage.name] }).toEqual({ name: 'clip_moderation', phase: 'ANALYZING', check: 'moderation' });
    expect(stage.appliesTo()).toBe(true);
  });

  it('blocks a clip whose on-screen threat spans consecutive frames; the evidence names stored frames by hash, never a path', async () => {
    const clip = await analysedClip('threat', await makeTextClip(dir, 'threat.mp4', { seconds: 3, width: 640, height: 360, text: 'I WILL KILL YOU', audio: true }));
    const outcome = await stage.run(context(clip));
    expect(outcome.verdict).toBe('block');
    expect(outcome.reason).toMatch(/^moderation blocked the clip: harassment\/threatening 0\.99 \(blocks at 0\.85; rule relation\.intent\.killing\.v1, threat\.first-person-harm\.v1; frames at /);
    const result = outcome.result as ModerationStageResult;
    expect(result).toMatchObject({ policyVersion: DEFAULT_MODERATION_POLICY.version, provider: 'local' });
    const { report } = result.reports[0];
    expect(report).toMatchObject({ input: 'video', framesSampled: analysed.get('threat')!.length, speech: { status: 'not checked' } });
    const frameHashes = new Set(analysed.get('threat')!.map((f) => f.sha256));
    const worst = report.evidence.flatMap((e) => (e.kind === 'frames' ? e.worstFrames : [])) as StoredWorstFrame[];
    expect(worst.length).toBeGreaterThan(0);
    for (const frame of worst) {
      expect(frameHashes.has(frame.thumbnailSha256)).toBe(true);
      expect(await store.has(frame.thumbnailSha256)).toBe(true);
    }
    expect(JSON.stringify(result)).not.toContain(dir);
    // The audio the engine extracted went to a scratch dir that is gone again.
    expect(await readdir(join(dir, 'store', 'scratch'))).toEqual([]);
  });

  it('after a granted appeal of the prompt block, a block in only the granted categories goes to review; any other category still blocks', async () => {
    const clip = await analysedClip('granted', await makeTextClip(dir, 'granted.mp4', { seconds: 3, width: 640, height: 360, text: 'I WILL KILL YOU' }));
    // It blocks in three categories; the prompt was blocked in all of them.
    promptBlocks.set('granted', ['harassment', 'harassment/threatening', 'violence']);
    // Without the grant (the flag the clip row carries), the prompt's block categories do not count.
    expect((await stage.run(context(clip))).verdict).toBe('block');

    const granted = await stage.run(context({ ...clip, promptBlockGranted: true }));
    expect({ verdict: granted.verdict, reason: granted.reason }).toEqual({ verdict: 'review', reason: undefined });
    const result = granted.result as ModerationStageResult;
    expect(result.grantedOnAppeal?.sort()).toEqual(['harassment', 'harassment/threatening', 'violence']);
    // The report keeps what moderation found; only the stage's verdict follows the grant.
    expect(result.reports[0].report.categories['harassment/threatening'].verdict).toBe('block');

    // Granted in one of the three: the others still block, and only it is named in the reason.
    promptBlocks.set('granted', ['violence']);
    const otherCategory = await stage.run(context({ ...clip, promptBlockGranted: true }));
    expect(otherCategory.verdict).toBe('block');
    expect(otherCategory.reason).toMatch(/^moderation blocked the clip: harassment\/threatening 0\.99 \(blocks at 0\.85; [^)]*\); harassment 0\.96 \([^)]*\) \[policy /);
    expect(otherCategory.reason).not.toMatch(/violence/);
    expect((otherCategory.result as ModerationStageResult).grantedOnAppeal).toEqual(['violence']);
  });

  it('allows a clip without harmful content', async () => {
    const clip = await analysedClip('plain', await makeTextClip(dir, 'plain.mp4', { seconds: 2, width: 640, height: 360 }));
    const outcome = await stage.run(context(clip));
    expect(outcome.verdict).toBe('allow');
    expect((outcome.result as ModerationStageResult).reports[0].report.speech).toEqual({ status: 'no audio' });
  });

  it('fails the clip at once for media that is not a video, and refuses to run without media or analysis', async () => {
    await writeFile(join(dir, 'garbage.mp4'), 'definitely not an mp4');
    const mediaSha256 = await store.commit(await store.stageFile(join(dir, 'garbage.mp4')));
    // Frames of another clip stand in for an analysis: the engine must refuse the media itself.
    analysed.set('garbage', analysed.get('plain')!);
    const garbage = stageClip({ id: 'garbage', mediaSha256 });
    await expect(stage.run(context(garbage))).rejects.toMatchObject({ reasonCode: 'MEDIA_UNREADABLE', message: expect.stringContaining('VIDEO_UNREADABLE') });
    await expect(stage.run(context({ ...garbage, mediaSha256: null }))).rejects.toBeInstanceOf(StageRejection);
    await expect(stage.run(context({ ...garbage, id: 'never-analysed' }))).rejects.toThrow(/no media analysis/);
  });
});
