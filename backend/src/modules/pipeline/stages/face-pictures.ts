import { readFile } from 'node:fs/promises';
import { DEFAULT_DETECTION_OPTIONS, LikenessInputError, type DetectedFace, type DetectionOptions, type RgbImage } from '../../../engines/likeness';
import type { ContentStore } from '../../../engines/storage/content-store';
import type { FaceAnalysisSource } from '../../likeness/face-analysis';
import { decodeFaceImage, fitForAnalysis } from '../../likeness/face-image';
import type { EmbedFace, SeenFaces } from '../../likeness/face-matching';
import { StageRejection } from '../pipeline-stage';

/**
 * The faces in a stored JPEG or PNG (a sampled frame, a reference image). A
 * picture that does not decode or that the analyser refuses is a hostile or
 * broken input: the clip fails at once instead of being retried.
 */
export async function facesInStoredPicture(faces: FaceAnalysisSource, store: ContentStore, sha256: string, timeSeconds: number, detection?: Partial<DetectionOptions>): Promise<SeenFaces & { image: RgbImage }> {
  let image: RgbImage;
  try {
    image = fitForAnalysis(decodeFaceImage(await readFile(store.localPath(sha256)), 'picture'), DEFAULT_DETECTION_OPTIONS.maxPixels);
  } catch (err) {
    throw new StageRejection('MEDIA_UNREADABLE', `a picture could not be decoded for the face check: ${(err as Error).message}`);
  }
  return { timeSeconds, faces: await analyseOrReject(faces, image, detection), width: image.width, height: image.height, image };
}

/**
 * An `EmbedFace` for pictures analysed with detection only: analyses the
 * picture again, with embeddings, once, and takes the face at the same box
 * (the detector is deterministic).
 */
export function embedFromPictures(faces: FaceAnalysisSource, images: ReadonlyMap<number, RgbImage>): EmbedFace {
  const embedded = new Map<number, Promise<DetectedFace[]>>();
  return async (picture, face) => {
    const image = images.get(picture.timeSeconds)!;
    if (!embedded.has(picture.timeSeconds)) embedded.set(picture.timeSeconds, analyseOrReject(faces, image));
    const again = await embedded.get(picture.timeSeconds)!;
    const same = again.map((f) => ({ f, d: Math.abs(f.box.x - face.box.x) + Math.abs(f.box.y - face.box.y) + Math.abs(f.box.width - face.box.width) })).sort((a, b) => a.d - b.d)[0];
    return same && same.d <= face.box.width * 0.25 ? same.f.embedding : null;
  };
}

async function analyseOrReject(faces: FaceAnalysisSource, image: RgbImage, detection?: Partial<DetectionOptions>): Promise<DetectedFace[]> {
  try {
    return await faces.analyse(image, detection);
  } catch (err) {
    if (err instanceof LikenessInputError) throw new StageRejection('MEDIA_UNREADABLE', `a picture could not be analysed for faces: ${err.message}`);
    throw err;
  }
}
