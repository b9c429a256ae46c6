import type { FaceMatchBand, LikenessFaceMatch, LikenessPolicy } from '@provenant/shared';
import { FaceTracker, type DetectedFace } from '../../engines/likeness';
import { consentOf, faceOutcome } from './likeness-outcome';
import type { LikenessRegistryView } from './likeness-registry-snapshot';

/** Faces seen in one picture: a sampled frame at its time, or a still (time 0). */
export interface SeenFaces {
  timeSeconds: number;
  faces: readonly DetectedFace[];
  width: number;
  height: number;
}

/** The embedding of a face detected without one (detection only), from its picture. */
export type EmbedFace = (picture: SeenFaces, face: DetectedFace) => Promise<Float32Array | null>;

/**
 * The one place faces become likeness findings: detections are tracked
 * across pictures, each track's best embeddings (computed by `embed` for
 * faces detected without one, so only a few per track are) matched against
 * the registry's templates, and a match judged by the consent rule (a sure
 * match like a name; an uncertain one goes to a human unless the subject
 * would be allowed anyway). Faces that match no one are only counted.
 */
export async function matchFaces(
  pictures: readonly SeenFaces[],
  registry: LikenessRegistryView,
  creatorId: string,
  policy: LikenessPolicy,
  embed: EmbedFace = async () => null,
  at = new Date(),
): Promise<{ faces: LikenessFaceMatch[]; unknownFaces: number }> {
  const tracker = new FaceTracker();
  for (const p of pictures) tracker.addFrame(p.timeSeconds, p.faces);
  const byTime = new Map(pictures.map((p) => [p.timeSeconds, p]));
  const faces: LikenessFaceMatch[] = [];
  let unknownFaces = 0;
  for (const track of tracker.tracks()) {
    const candidates = [];
    for (const d of track.best) {
      const embedding = d.face.embedding ?? (await embed(byTime.get(d.timeSeconds)!, d.face));
      const match = embedding ? registry.faces.match(embedding) : null;
      if (match) candidates.push({ match, at: d });
    }
    const nearest = candidates.sort((a, b) => a.match.distance - b.match.distance)[0];
    if (!nearest || nearest.match.verdict === 'different') {
      unknownFaces++;
      continue;
    }
    const { match, at: seen } = nearest;
    // Templates and subjects come from one snapshot, and a template dies with its subject.
    const subject = registry.subjects.get(match.subjectId)!;
    const { consent, grantId } = consentOf(subject, registry.grants.get(subject.id) ?? [], creatorId, at);
    const band = match.verdict as FaceMatchBand; // 'different' was counted above
    const frame = byTime.get(seen.timeSeconds)!;
    faces.push({
      subjectId: subject.id,
      consent,
      outcome: faceOutcome(policy, band, consent),
      band,
      distance: Math.round(match.distance * 1e4) / 1e4,
      matchThreshold: match.matchThreshold,
      differentThreshold: match.differentThreshold,
      modelVersion: match.modelVersion,
      times: track.times,
      atSeconds: seen.timeSeconds,
      box: { x: Math.round(seen.face.box.x), y: Math.round(seen.face.box.y), width: Math.round(seen.face.box.width), height: Math.round(seen.face.box.height) },
      frameWidth: frame.width,
      frameHeight: frame.height,
      ...(grantId ? { grantId } : {}),
    });
  }
  return { faces, unknownFaces };
}
