import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FfmpegBinaries, FrameSampler, type LumaFrameRequest, MediaRejectedError, MediaProcessError } from '../../../engines/media';
import { LumaAccumulation, serializeLumaEvidence, type WatermarkDetector } from '../../../engines/watermark';
import type { StoredLumaEvidence } from '../../moderation/analysis-frames';
import { StageRejection, type PipelineStage, type StageContext, type StageOutcome } from '../pipeline-stage';

const SAMPLING = { intervalSeconds: 1, sceneThreshold: 0.4, maxFrames: 120, width: 512, format: 'jpg' as const };

/**
 * Decodes the clip once for every frame-based check: samples frames (one a
 * second plus scene changes) and a thumbnail, and, when a later stage of the
 * clip declared it (`frames`), the watermark detector's luma evidence, all
 * from one ffmpeg pass. Everything is stored by hash so that the checks that
 * follow read the same pictures instead of decoding the clip again.
 */
export class MediaAnalysisStage implements PipelineStage {
  readonly name = 'media_analysis' as const;
  readonly phase = 'ANALYZING' as const;

  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly timeoutMs: number,
    /** Only its frame size: the evidence is keyless, the keyed reading happens in the stage that needs it. */
    private readonly detector: WatermarkDetector,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store, signal, framesWanted }: StageContext): Promise<StageOutcome> {
    if (!clip.mediaSha256 || !clip.media) throw new StageRejection('MEDIA_UNREADABLE', 'clip has no media to analyse');
    const input = store.localPath(clip.mediaSha256);
    const dir = store.scratchPath();
    await mkdir(dir);
    try {
      const lumaSize = framesWanted.has('watermark_luma') ? this.detector.frameSize(clip.media.width, clip.media.height, Math.round(clip.media.durationSeconds * clip.media.frameRate)) : null;
      const accumulation = lumaSize && !('reason' in lumaSize) ? new LumaAccumulation(lumaSize) : null;
      const luma: LumaFrameRequest | undefined = accumulation ? { ...accumulation.size, consume: (frame) => accumulation.add(frame) } : undefined;
      const thumbPath = join(dir, 'thumbnail.jpg');
      const thumbnail = { atSeconds: Math.min(1, clip.media.durationSeconds / 2), width: 320, path: thumbPath };
      const frames = await new FrameSampler(this.bins, { timeoutMs: this.timeoutMs }).sample(input, join(dir, 'frames'), { ...SAMPLING, thumbnail, luma, signal });
      const stored = [];
      for (const frame of frames) {
        const sha256 = await store.commit(await store.stageFile(frame.path));
        stored.push({ timestampSeconds: frame.timestampSeconds, reason: frame.reason, sha256 });
      }
      const thumbnailSha256 = await store.commit(await store.stageFile(thumbPath));
      const result: Record<string, unknown> = { frames: stored, thumbnailSha256, sampling: SAMPLING };
      if (lumaSize) result.watermarkLuma = accumulation ? await this.storeEvidence(accumulation, dir, store) : lumaSize;
      return { verdict: 'allow', result };
    } catch (err) {
      if (err instanceof MediaRejectedError) throw new StageRejection('MEDIA_UNREADABLE', err.reason);
      if (err instanceof MediaProcessError && err.code === 'EXIT') throw new StageRejection('MEDIA_UNREADABLE', `frames could not be decoded: ${err.message}`);
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async storeEvidence(accumulation: LumaAccumulation, dir: string, store: StageContext['store']): Promise<StoredLumaEvidence> {
    const evidence = accumulation.finish();
    if (evidence.frames === 0) return { reason: 'the clip decoded to no frames' };
    const path = join(dir, 'watermark-luma.bin');
    await writeFile(path, serializeLumaEvidence(evidence));
    return { sha256: await store.commit(await store.stageFile(path)), frames: evidence.frames, width: evidence.width, height: evidence.height };
  }
}
