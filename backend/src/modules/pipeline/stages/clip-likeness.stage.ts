import { DEFAULT_LIKENESS_POLICY, type ClipLikenessStageResult } from '@provenant/shared';
import { LIKENESS_MODEL_VERSION, type RgbImage } from '../../../engines/likeness';
import type { FaceAnalysisSource } from '../../likeness/face-analysis';
import { matchFaces, type SeenFaces } from '../../likeness/face-matching';
import { embedFromPictures, facesInStoredPicture } from './face-pictures';
import { likenessBlockReason, likenessVerdict } from '../../likeness/likeness-outcome';
import type { LikenessRegistrySource } from '../../likeness/likeness-registry-snapshot';
import type { AnalysedFrameSource } from '../../moderation/analysis-frames';
import type { PipelineStage, StageClip, StageContext, StageOutcome } from '../pipeline-stage';

/** At most this many of the sampled frames are analysed, evenly spread: about 0.25 s each on one thread. */
export const MAX_LIKENESS_FRAMES = 30;

/**
 * Faces in the clip's sampled frames (the ones media analysis stored),
 * tracked across frames, each track's best embeddings matched against the
 * registry's face templates and judged by the same consent rule as names.
 * With no templates enrolled there is nothing to match, and no frame is
 * analysed. The result stores subject ids, never names.
 */
export class ClipLikenessStage implements PipelineStage {
  readonly name = 'clip_likeness' as const;
  readonly phase = 'ANALYZING' as const;
  readonly needs = ['media_analysis'] as const;
  readonly checkNote = 'faces are looked for in up to 30 of the frames sampled at 1 per second, 512 px wide: a face narrower than 40 px there is not seen';

  constructor(
    private readonly registry: LikenessRegistrySource,
    private readonly faces: FaceAnalysisSource,
    private readonly analysedFrames: AnalysedFrameSource,
  ) {}

  appliesTo(_clip: StageClip): boolean {
    return true;
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    const policy = DEFAULT_LIKENESS_POLICY;
    const registry = await this.registry.current();
    const base = { policyVersion: policy.version, registryVersion: registry.version, modelVersion: LIKENESS_MODEL_VERSION };
    if (registry.faces.size === 0) {
      const result: ClipLikenessStageResult = { ...base, analysed: 'no_templates', framesAnalysed: 0, faces: [], unknownFaces: 0 };
      return { verdict: 'allow', result };
    }
    const frames = evenly(await this.analysedFrames.framesOf(clip.id), MAX_LIKENESS_FRAMES);
    // Detection only on every frame (about a third of the cost), embeddings only for each track's best faces.
    const pictures: SeenFaces[] = [];
    const images = new Map<number, RgbImage>();
    for (const frame of frames) {
      signal.throwIfAborted();
      const { image, ...seen } = await facesInStoredPicture(this.faces, store, frame.sha256, frame.timestampSeconds, { embed: false });
      pictures.push(seen);
      if (seen.faces.length) images.set(seen.timeSeconds, image);
    }
    const { faces: found, unknownFaces } = await matchFaces(pictures, registry, clip.createdBy, policy, embedFromPictures(this.faces, images));
    const result: ClipLikenessStageResult = { ...base, analysed: 'frames', framesAnalysed: frames.length, faces: found, unknownFaces };
    const verdict = likenessVerdict(found);
    return { verdict, result, ...(verdict === 'block' ? { reason: likenessBlockReason(found, 'the clip shows') } : {}) };
  }
}

/** At most `n` items spread evenly over `items`, first and last included. */
function evenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

