import type { ClipSource, StageName } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { resolveFfmpegBinaries, MediaProber } from '../../engines/media';
import { createGenerationProvider } from './generation-provider.factory';
import { mediaLimitsFrom } from './media-limits.config';
import { PipelinePlan } from './pipeline-plan';
import type { StageClip } from './pipeline-stage';
import { GenerateStage } from './stages/generate.stage';
import { MediaAnalysisStage } from './stages/media-analysis.stage';
import { SigningStage } from './stages/signing.stage';
import { ClipModerationStage } from './stages/clip-moderation.stage';
import { PriorProvenanceStage } from './stages/prior-provenance.stage';
import { PromptModerationStage } from './stages/prompt-moderation.stage';
import { WatermarkStage } from './stages/watermark.stage';
import { stageClip } from './stage-clip.spec-helper';

describe('PipelinePlan', () => {
  const cfg = loadConfig({});
  const bins = resolveFfmpegBinaries();
  const generate = new GenerateStage(createGenerationProvider(cfg, bins), new MediaProber(bins, { timeoutMs: 10_000 }), mediaLimitsFrom(cfg));
  // The plan reads stages' names, phases and checks; it never runs them here.
  const unused = null as never;
  const analysis = new MediaAnalysisStage(bins, 10_000, unused);
  const prior = new PriorProvenanceStage(unused, unused, unused);
  const watermark = new WatermarkStage(unused, unused, unused, unused, unused, unused, { enabled: true, platform: 'Provenant', opacity: 0.6, sizeRatio: 0.035, cornerSeconds: 4 });
  const release = new SigningStage(unused, unused, unused, unused, 1);
  const plan = new PipelinePlan([generate, analysis, prior, watermark, release]);
  const clip = (source: ClipSource): StageClip => stageClip({ source });
  const done = (...names: StageName[]) => new Set<StageName>(names);

  it('routes every clip through review, then approval, the release gate and release', () => {
    expect(plan.route('prompt').slice(-4)).toEqual(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']);
    expect(plan.route('upload').slice(-4)).toEqual(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']);
    expect(plan.releaseStage()).toBe(release);
  });

  it('stops by itself at review and at release, and nowhere else', () => {
    expect(plan.nextStop('prompt', 'SUBMITTED')).toBe('AWAITING_REVIEW');
    expect(plan.nextStop('prompt', 'ANALYZING')).toBe('AWAITING_REVIEW');
    expect(plan.nextStop('prompt', 'AWAITING_REVIEW')).toBeNull();
    expect(plan.nextStop('prompt', 'APPROVED')).toBe('RELEASED');
    expect(plan.nextStop('upload', 'SIGNING')).toBe('RELEASED');
    expect(plan.nextStop('prompt', 'RELEASED')).toBeNull();
    expect(plan.nextStop('prompt', 'BLOCKED')).toBeNull();
    expect(plan.nextStop('upload', 'GENERATING')).toBeNull();
  });

  it('runs the pre-review stages before review and only the release stage after approval', () => {
    expect(plan.nextStage(clip('prompt'), 'SUBMITTED', done())).toBe(generate);
    expect(plan.nextStage(clip('prompt'), 'GENERATING', done('generate'))).toBe(analysis);
    expect(plan.nextStage(clip('prompt'), 'ANALYZING', done('generate', 'media_analysis'))).toBe(watermark);
    expect(plan.nextStage(clip('prompt'), 'ANALYZING', done('generate', 'media_analysis', 'watermark'))).toBeNull();
    expect(plan.nextStage(clip('upload'), 'SUBMITTED', done())).toBe(analysis);
    // Only an upload can already be one of our clips: a generated clip has no prior provenance to check.
    expect(plan.nextStage(clip('upload'), 'ANALYZING', done('media_analysis'))).toBe(prior);
    expect(plan.nextStage(clip('prompt'), 'APPROVED', done('generate', 'media_analysis'))).toBe(release);
    expect(plan.nextStage(clip('prompt'), 'SIGNING', done('generate', 'media_analysis', 'signing'))).toBeNull();
    // A clip let out of a block skipped later pre-review stages; after approval only the release stage is left to run.
    expect(plan.nextStage(clip('upload'), 'APPROVED', done())).toBe(release);
    expect(plan.nextStage(clip('prompt'), 'AWAITING_REVIEW', done())).toBeNull();
  });

  it('refuses a plan without exactly one release-gate stage', () => {
    expect(() => new PipelinePlan([generate, analysis, prior, watermark])).toThrow(/release gate needs exactly one stage in the SIGNING phase; the plan has 0/);
    expect(() => new PipelinePlan([generate, analysis, release, new SigningStage(unused, unused, unused, unused, 1)])).toThrow(/duplicate stage names/);
  });

  it('names the watermark and c2pa checks as provided, by the watermark render and the signing release gate', () => {
    expect(plan.checksProvided()).toEqual(new Map([['watermark', [watermark]], ['signing', [release]]]));
  });

  it('moderates a prompt before generation and every clip after analysis; an upload has no prompt check to wait for', () => {
    const promptCheck = new PromptModerationStage(unused, unused);
    const clipCheck = new ClipModerationStage(unused, unused, unused, unused);
    const moderated = new PipelinePlan([promptCheck, generate, analysis, prior, clipCheck, watermark, release]);
    expect(moderated.nextStage(clip('prompt'), 'SUBMITTED', done())).toBe(promptCheck);
    expect(moderated.nextStage(clip('prompt'), 'PROMPT_CHECK', done('prompt_moderation'))).toBe(generate);
    expect(moderated.nextStage(clip('prompt'), 'GENERATING', done('prompt_moderation', 'generate', 'media_analysis'))).toBe(clipCheck);
    expect(moderated.nextStage(clip('upload'), 'SUBMITTED', done())).toBe(analysis);
    expect(moderated.nextStage(clip('upload'), 'ANALYZING', done('media_analysis', 'prior_provenance'))).toBe(clipCheck);
    expect(moderated.checksProvided().get('moderation')).toEqual([promptCheck, clipCheck]);
    expect(moderated.checksProvided('prompt').get('moderation')).toEqual([promptCheck, clipCheck]);
    expect(moderated.checksProvided('upload').get('moderation')).toEqual([clipCheck]);
  });

  it('runs the stages of a phase side by side once what each needs has succeeded: the checks and the release render', () => {
    const clipCheck = new ClipModerationStage(unused, unused, unused, unused);
    const sideBySide = watermark;
    const concurrent = new PipelinePlan([generate, analysis, prior, clipCheck, sideBySide, release]);
    expect(concurrent.readyStages(clip('upload'), 'ANALYZING', done())).toEqual([analysis]);
    expect(concurrent.readyStages(clip('upload'), 'ANALYZING', done('media_analysis'))).toEqual([prior, clipCheck]);
    // An upload is marked only once its prior provenance has been read; a generated clip has none to read.
    expect(concurrent.readyStages(clip('upload'), 'ANALYZING', done('media_analysis', 'clip_moderation'))).toEqual([prior]);
    expect(concurrent.readyStages(clip('upload'), 'ANALYZING', done('media_analysis', 'prior_provenance'))).toEqual([clipCheck, sideBySide]);
    expect(concurrent.readyStages(clip('prompt'), 'ANALYZING', done('generate', 'media_analysis'))).toEqual([clipCheck, sideBySide]);
    expect(concurrent.readyStages(clip('upload'), 'ANALYZING', done('media_analysis', 'prior_provenance', 'clip_moderation', 'watermark'))).toEqual([]);
  });

  it('refuses a stage that needs one that is not an earlier stage of its phase', () => {
    const clipCheck = new ClipModerationStage(unused, unused, unused, unused);
    expect(() => new PipelinePlan([generate, clipCheck, analysis, release])).toThrow(/clip_moderation needs media_analysis, which is not an earlier stage of its phase ANALYZING/);
    expect(() => new PipelinePlan([generate, clipCheck, release])).toThrow(/needs media_analysis/);
  });

  it('asks media analysis for the frames the clip\'s own stages read, and refuses a frame reader that does not wait for it', () => {
    // prior_provenance reads the watermark from the analysis pass's luma; it runs on uploads only.
    expect([...plan.framesWanted(clip('upload'))]).toEqual(['watermark_luma']);
    expect([...plan.framesWanted(clip('prompt'))]).toEqual([]);
    const reader = { name: 'clip_moderation', phase: 'ANALYZING', frames: ['watermark_luma'], appliesTo: () => true, run: unused } as const;
    expect(() => new PipelinePlan([generate, analysis, reader, release])).toThrow(/clip_moderation reads decoded frames but does not need media_analysis/);
  });
});
