import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type FfmpegBinaries, FrameSampler, MediaRejectedError, MediaProcessError, extractThumbnail } from '../../../engines/media';
import { StageRejection, type PipelineStage, type StageContext, type StageOutcome } from '../pipeline-stage';

const SAMPLING = { intervalSeconds: 1, sceneThreshold: 0.4, maxFrames: 120, width: 512, format: 'jpg' as const };

/**
 * Samples frames (one a second plus scene changes) and a thumbnail, stored
 * by hash so that the checks that follow read the same frames.
 */
export class MediaAnalysisStage implements PipelineStage {
  readonly name = 'media_analysis' as const;
  readonly phase = 'ANALYZING' as const;

  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly timeoutMs: number,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    if (!clip.mediaSha256 || !clip.media) throw new StageRejection('MEDIA_UNREADABLE', 'clip has no media to analyse');
    const input = store.localPath(clip.mediaSha256);
    const dir = store.scratchPath();
    await mkdir(dir);
    try {
      const frames = await new FrameSampler(this.bins, { timeoutMs: this.timeoutMs }).sample(input, dir, { ...SAMPLING, signal });
      const stored = [];
      for (const frame of frames) {
        const sha256 = await store.commit(await store.stageFile(frame.path));
        stored.push({ timestampSeconds: frame.timestampSeconds, reason: frame.reason, sha256 });
      }
      const thumbPath = join(dir, 'thumbnail.jpg');
      await extractThumbnail(this.bins, input, thumbPath, { atSeconds: Math.min(1, clip.media.durationSeconds / 2), width: 320, timeoutMs: this.timeoutMs, signal });
      const thumbnailSha256 = await store.commit(await store.stageFile(thumbPath));
      return { verdict: 'allow', result: { frames: stored, thumbnailSha256, sampling: SAMPLING } };
    } catch (err) {
      if (err instanceof MediaRejectedError) throw new StageRejection('MEDIA_UNREADABLE', err.reason);
      if (err instanceof MediaProcessError && err.code === 'EXIT') throw new StageRejection('MEDIA_UNREADABLE', `frames could not be decoded: ${err.message}`);
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
