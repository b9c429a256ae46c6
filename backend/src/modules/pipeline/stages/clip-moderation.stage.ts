import { mkdir, rm } from 'node:fs/promises';
import type { ModerationCategory } from '@provenant/shared';
import type { SampledFrame } from '../../../engines/media';
import type { ModerationEngine } from '../../../engines/moderation';
import type { AnalysedFrameSource } from '../../moderation/analysis-frames';
import type { ActivePolicySource } from '../../moderation/moderation-policies';
import { asStageError, moderationOutcome, withStoredFrames } from '../../moderation/moderation-outcome';
import { StageRejection, type PipelineStage, type StageContext, type StageOutcome } from '../pipeline-stage';

/** The categories a clip's prompt was blocked in, for a clip whose block a senior granted on appeal. */
export interface GrantedCategorySource {
  categoriesOf(clipId: string): Promise<ReadonlySet<ModerationCategory>>;
}

/**
 * Moderates the clip itself after media analysis: the frames that stage
 * sampled (pixels and on-screen text) and, where the provider can
 * transcribe, the speech. The worst frames are the stored analysis frames,
 * so the evidence names them by hash. review flags the clip for its human
 * review; block stops it in BLOCKED.
 */
export class ClipModerationStage implements PipelineStage {
  readonly name = 'clip_moderation' as const;
  readonly phase = 'ANALYZING' as const;
  /** It moderates the frames that stage sampled and stored. */
  readonly needs = ['media_analysis'] as const;

  constructor(
    private readonly engine: ModerationEngine,
    private readonly policies: ActivePolicySource,
    private readonly analysed: AnalysedFrameSource,
    private readonly granted: GrantedCategorySource,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store }: StageContext): Promise<StageOutcome> {
    if (!clip.mediaSha256) throw new StageRejection('MEDIA_UNREADABLE', 'clip has no media to moderate');
    const stored = await this.analysed.framesOf(clip.id);
    const frames: SampledFrame[] = stored.map((f) => ({ path: store.localPath(f.sha256), timestampSeconds: f.timestampSeconds, reason: f.reason }));
    const frameHashes = new Map(stored.map((f) => [store.localPath(f.sha256), f.sha256]));
    const active = await this.policies.current();
    // Scratch space for the engine's own files (the audio it extracts for transcription).
    const workDir = store.scratchPath();
    await mkdir(workDir);
    try {
      const report = await this.engine.withPolicy(active.policy).moderateVideo(store.localPath(clip.mediaSha256), { frames, workDir });
      const granted = clip.promptBlockGranted ? await this.granted.categoriesOf(clip.id) : new Set<ModerationCategory>();
      return moderationOutcome(active, [{ subject: 'clip', report: withStoredFrames(report, frameHashes) }], granted);
    } catch (err) {
      throw asStageError(err);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
