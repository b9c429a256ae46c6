import { readFile } from 'node:fs/promises';
import { DEFAULT_LIKENESS_POLICY, type ClipLikenessStageResult, type FaceMatchBand, type LikenessFaceMatch } from '@provenant/shared';
import { FaceTracker, LIKENESS_MODEL_VERSION, LikenessInputError, type DetectedFace } from '../../../engines/likeness';
import type { FaceAnalysisSource } from '../../likeness/face-analysis';
import { decodeFaceImage } from '../../likeness/face-image';
import { consentOf, faceOutcome, likenessBlockReason, likenessVerdict } from '../../likeness/likeness-outcome';
import type { LikenessRegistrySource } from '../../likeness/likeness-registry-snapshot';
import type { AnalysedFrameSource } from '../../moderation/analysis-frames';
import { StageRejection, type PipelineStage, type StageClip, type StageContext, type StageOutcome } from '../pipeline-stage';

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
    const tracker = new FaceTracker();
    let frameSize = { width: 0, height: 0 };
    for (const frame of frames) {
      signal.throwIfAborted();
      const image = decodeFaceImage(await readFile(store.localPath(frame.sha256)), `frame at ${frame.timestampSeconds}s`);
      frameSize = { width: image.width, height: image.height };
      tracker.addFrame(frame.timestampSeconds, await this.analyse(image));
    }
    const found: LikenessFaceMatch[] = [];
    let unknownFaces = 0;
    for (const track of tracker.tracks()) {
      const candidates = track.best.flatMap((d) => {
        const match = d.face.embedding ? registry.faces.match(d.face.embedding) : null;
        return match ? [{ match, at: d }] : [];
      });
      const nearest = candidates.sort((a, b) => a.match.distance - b.match.distance)[0];
      if (!nearest || nearest.match.verdict === 'different') {
        unknownFaces++;
        continue;
      }
      const { match, at } = nearest;
      // Templates and subjects come from one snapshot, and a template dies with its subject.
      const subject = registry.subjects.get(match.subjectId)!;
      const { consent } = consentOf(subject, registry.grants.get(subject.id) ?? [], clip.createdBy, new Date());
      const band = match.verdict as FaceMatchBand; // 'different' went to unknownFaces above
      found.push({
        subjectId: subject.id,
        consent,
        outcome: faceOutcome(policy, band, consent),
        band,
        distance: round(match.distance),
        matchThreshold: match.matchThreshold,
        differentThreshold: match.differentThreshold,
        modelVersion: match.modelVersion,
        times: track.times,
        atSeconds: at.timeSeconds,
        box: roundBox(at.face.box),
        frameWidth: frameSize.width,
        frameHeight: frameSize.height,
      });
    }
    const result: ClipLikenessStageResult = { ...base, analysed: 'frames', framesAnalysed: frames.length, faces: found, unknownFaces };
    const verdict = likenessVerdict(found);
    return { verdict, result, ...(verdict === 'block' ? { reason: likenessBlockReason(found, 'the clip shows') } : {}) };
  }

  private async analyse(image: Parameters<FaceAnalysisSource['analyse']>[0]): Promise<DetectedFace[]> {
    try {
      return await this.faces.analyse(image);
    } catch (err) {
      // A frame the analyser refuses is a hostile or broken clip, not a reason to retry.
      if (err instanceof LikenessInputError) throw new StageRejection('MEDIA_UNREADABLE', `a sampled frame could not be analysed for faces: ${err.message}`);
      throw err;
    }
  }
}

/** At most `n` items spread evenly over `items`, first and last included. */
function evenly<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]);
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const roundBox = (b: { x: number; y: number; width: number; height: number }) => ({ x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) });
