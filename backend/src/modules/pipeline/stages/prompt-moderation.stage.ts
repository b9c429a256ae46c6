import type { ModerationStageResult } from '@provenant/shared';
import type { ModerationEngine } from '../../../engines/moderation';
import type { ActivePolicySource } from '../../moderation/moderation-policies';
import { asStageError, moderationOutcome, withStoredFrames } from '../../moderation/moderation-outcome';
import type { PipelineStage, StageClip, StageContext, StageOutcome } from '../pipeline-stage';

// Text and still-image reports have no frame evidence.
const NO_FRAMES: ReadonlyMap<string, string> = new Map();

/**
 * Moderates a prompt and its reference image before anything is generated,
 * under the policy in force when it runs: a block stops the clip in BLOCKED
 * with the reason on the clip, so a refused prompt never reaches a generator.
 */
export class PromptModerationStage implements PipelineStage {
  readonly name = 'prompt_moderation' as const;
  readonly phase = 'PROMPT_CHECK' as const;

  constructor(
    private readonly engine: ModerationEngine,
    private readonly policies: ActivePolicySource,
  ) {}

  appliesTo(clip: StageClip): boolean {
    return clip.source === 'prompt';
  }

  async run({ clip, store }: StageContext): Promise<StageOutcome> {
    const active = await this.policies.current();
    const engine = this.engine.withPolicy(active.policy);
    const reports: ModerationStageResult['reports'] = [];
    try {
      reports.push({ subject: 'prompt', report: withStoredFrames(await engine.moderateText(clip.prompt ?? ''), NO_FRAMES) });
      if (clip.referenceImageSha256) {
        const image = await engine.moderateImage(store.localPath(clip.referenceImageSha256));
        reports.push({ subject: 'reference_image', report: withStoredFrames(image, NO_FRAMES) });
      }
    } catch (err) {
      throw asStageError(err);
    }
    return moderationOutcome(active, reports);
  }
}
