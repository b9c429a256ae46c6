import type { ClipSource, StageName } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { resolveFfmpegBinaries } from '../../engines/media/ffmpeg-binaries';
import { MediaProber } from '../../engines/media/media-prober';
import { createGenerationProvider } from './generation-provider.factory';
import { mediaLimitsFrom } from './media-limits.config';
import { PipelinePlan } from './pipeline-plan';
import type { StageClip } from './pipeline-stage';
import { GenerateStage } from './stages/generate.stage';
import { MediaAnalysisStage } from './stages/media-analysis.stage';
import { UnsignedReleaseStage } from './stages/release.stage';

describe('PipelinePlan', () => {
  const cfg = loadConfig({});
  const bins = resolveFfmpegBinaries();
  const generate = new GenerateStage(createGenerationProvider(cfg, bins), new MediaProber(bins, { timeoutMs: 10_000 }), mediaLimitsFrom(cfg));
  const analysis = new MediaAnalysisStage(bins, 10_000);
  const release = new UnsignedReleaseStage();
  const plan = new PipelinePlan([generate, analysis, release]);
  const clip = (source: ClipSource): StageClip => ({
    id: 'c',
    source,
    prompt: null,
    generator: null,
    referenceImageSha256: null,
    referenceImageType: null,
    mediaSha256: null,
    media: null,
    approvedMediaSha256: null,
  });
  const done = (...names: StageName[]) => new Set<StageName>(names);

  it('routes every clip through review, then approval, the release gate and release', () => {
    expect(plan.route('prompt').slice(-4)).toEqual(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']);
    expect(plan.route('upload').slice(-4)).toEqual(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']);
    expect(plan.releaseStage()).toBe(release);
  });

  it('stops by itself at review and at release, and nowhere else', () => {
    expect(plan.nextStop('prompt', 'SUBMITTED')).toBe('AWAITING_REVIEW');
    expect(plan.nextStop('prompt', 'WATERMARKING')).toBe('AWAITING_REVIEW');
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
    expect(plan.nextStage(clip('prompt'), 'ANALYZING', done('generate', 'media_analysis'))).toBeNull();
    expect(plan.nextStage(clip('upload'), 'SUBMITTED', done())).toBe(analysis);
    expect(plan.nextStage(clip('prompt'), 'APPROVED', done('generate', 'media_analysis'))).toBe(release);
    expect(plan.nextStage(clip('prompt'), 'SIGNING', done('generate', 'media_analysis', 'release'))).toBeNull();
    // A clip let out of a block skipped later pre-review stages; after approval only the release stage is left to run.
    expect(plan.nextStage(clip('upload'), 'APPROVED', done())).toBe(release);
    expect(plan.nextStage(clip('prompt'), 'AWAITING_REVIEW', done())).toBeNull();
  });

  it('refuses a plan without exactly one release-gate stage', () => {
    expect(() => new PipelinePlan([generate, analysis])).toThrow(/release gate needs exactly one stage in the SIGNING phase; the plan has 0/);
    expect(() => new PipelinePlan([generate, analysis, release, new UnsignedReleaseStage()])).toThrow(/duplicate stage names/);
  });
});
