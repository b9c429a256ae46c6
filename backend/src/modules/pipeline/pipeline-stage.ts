import type { CheckVerdict, ClipState, MediaInfoDto, StageName } from '@provenant/shared';
import type { ContentStore } from '../../engines/storage/content-store';
import type { ClipForStage } from '../lifecycle/clip.repository';

/** What a stage sees of a clip: references to stored content, never raw user paths. */
export type StageClip = Omit<ClipForStage, 'state'>;

/**
 * Decoded pictures a stage reads beyond the sampled frames and thumbnail
 * (which media analysis always stores). Media analysis produces every one the
 * clip's stages declare in its single decoding pass, so no stage decodes the
 * clip again. `watermark_luma`: the detector's luma evidence (every frame, grey, at its working size).
 */
export type FrameNeed = 'watermark_luma';

export interface StageContext {
  clip: StageClip;
  store: ContentStore;
  /** Aborted when the worker shuts down or the job is cancelled. */
  signal: AbortSignal;
  attempt: number;
  /** What the clip's stages declared in `frames` (PipelinePlan.framesWanted): media analysis decodes them all. */
  framesWanted: ReadonlySet<FrameNeed>;
}

/**
 * A stage's typed result, stored in stage_results. `verdict` steers the
 * pipeline: allow continues, review continues but flags the clip for a
 * human, block stops it in BLOCKED.
 */
export interface StageOutcome {
  verdict: CheckVerdict;
  result: Record<string, unknown>;
  /** Set when the stage produced the clip's new media (generation, watermarking). */
  media?: { sha256: string; info: MediaInfoDto };
  generator?: string;
  /** Required with verdict 'block': shown to the submitter and reviewers. */
  reason?: string;
}

/** A failure that retrying cannot fix (hostile file, refused prompt): the clip goes to FAILED at once. */
export class StageRejection extends Error {
  constructor(
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'StageRejection';
  }
}

/**
 * The one contract every pipeline step implements. A stage gets a clip id's
 * worth of context and returns an outcome; it must be safe to run twice
 * (a retried or duplicated job), which content-addressed storage makes easy.
 */
export interface PipelineStage {
  readonly name: StageName;
  /** The clip state during which this stage runs. The check it implements, if any, is STAGE_CHECK[name] in @provenant/shared. */
  readonly phase: ClipState;
  /**
   * Stages of the same phase whose results this one reads (e.g. the frames media analysis stored).
   * The stages of a phase that need nothing of each other run side by side, each on its own queue;
   * the phase is done when all have succeeded. Stages of earlier phases have always succeeded first.
   */
  readonly needs?: readonly StageName[];
  /** Decoded pictures this stage reads, which media analysis produces (the stage also needs media_analysis). */
  readonly frames?: readonly FrameNeed[];
  /** What this stage's check does not cover in this build, said plainly beside the check in every clip record. */
  readonly checkNote?: string;
  appliesTo(clip: StageClip): boolean;
  run(ctx: StageContext): Promise<StageOutcome>;
}

/** The release gate: the one stage of the SIGNING phase. */
export const SIGNING_STAGE = 'signing' satisfies StageName;

/**
 * What the stage in the SIGNING phase (the release gate) must put in its
 * result: the API, the audit record and notifications read these fields.
 */
export interface ReleaseStageResult extends Record<string, unknown> {
  releasedSha256: string;
  signed: boolean;
  /** Plain statement of what was (not) done, e.g. that the clip is unsigned. */
  note: string | null;
}

export const stageQueueName = (stage: StageName): string => `stage-${stage}`;
export const stageJobId = (clipId: string, stage: StageName): string => `${clipId}__${stage}`;
