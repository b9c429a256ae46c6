/** An RGB or RGBA picture, row-major, 8 bits per channel, no padding (what `ffmpeg -pix_fmt rgb24|rgba -f rawvideo` writes). */
export interface RgbImage {
  width: number;
  height: number;
  /** width × height × 3 (RGB) or × 4 (RGBA) bytes. */
  data: Uint8Array;
}

/** A box in input pixels: top-left corner, width and height. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceQuality {
  /** Detector confidence, 0–1 (blazeface box score). */
  detectionScore: number;
  /** Mesh confidence, 0–1 (facemesh face score). */
  meshScore: number;
  /** Shorter side of the face box, in input pixels. */
  faceSizePx: number;
  /** Head rotation in radians (roll, yaw, pitch) from the mesh; large yaw or pitch embed worse. */
  rotation: { roll: number; yaw: number; pitch: number } | null;
  /** One figure for ranking a track's detections: score × size factor × frontal factor, 0–1. */
  overall: number;
}

export interface DetectedFace {
  box: FaceBox;
  /** Detector confidence (same as quality.detectionScore). */
  score: number;
  quality: FaceQuality;
  /** L2-normalised embedding (1024 values for faceres); null when analysed with `embed: false` (detection only). */
  embedding: Float32Array | null;
  /** Model id and version, e.g. `human-3.3.6/faceres`; templates of another version do not compare. */
  modelVersion: string;
}

export class LikenessInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LikenessInputError';
  }
}

/** Throws LikenessInputError unless `image` is a well-formed RGB(A) buffer; returns its channel count. */
export function validateImage(image: RgbImage, maxPixels: number): 3 | 4 {
  if (image === null || typeof image !== 'object') throw new LikenessInputError('image must be an object { width, height, data }');
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new LikenessInputError(`image width and height must be positive integers, got ${String(width)}×${String(height)}`);
  }
  if (width * height > maxPixels) throw new LikenessInputError(`image of ${width}×${height} exceeds the limit of ${maxPixels} pixels`);
  if (!(data instanceof Uint8Array)) throw new LikenessInputError('image data must be a Uint8Array (or Buffer) of RGB or RGBA bytes');
  if (data.length === width * height * 3) return 3;
  if (data.length === width * height * 4) return 4;
  throw new LikenessInputError(`image data has ${data.length} bytes; a ${width}×${height} picture needs ${width * height * 3} (RGB) or ${width * height * 4} (RGBA)`);
}
