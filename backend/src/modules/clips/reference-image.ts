import { imageSize } from 'image-size';

export type ReferenceImageType = 'png' | 'jpeg' | 'webp';
export const REFERENCE_IMAGE_MIME: Record<ReferenceImageType, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** The type a file's first bytes prove, whatever it was called. */
export function sniffImageType(bytes: Buffer): ReferenceImageType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export interface ReferenceImageLimits {
  maxBytes: number;
  maxPixels: number;
  types: string[];
}

/**
 * Checks a reference image from its header alone, so a decompression bomb
 * (small file, huge declared canvas) is refused before anything decodes it.
 * Returns the image type or throws with a message naming the problem.
 */
export function validateReferenceImage(bytes: Buffer, limits: ReferenceImageLimits): ReferenceImageType {
  if (bytes.length === 0) throw new Error('referenceImageBase64: image is empty');
  if (bytes.length > limits.maxBytes) throw new Error(`referenceImageBase64: image is ${bytes.length} bytes, over the limit of ${limits.maxBytes}`);
  const type = sniffImageType(bytes);
  if (!type || !limits.types.includes(type)) {
    throw new Error(`referenceImageBase64: not an allowed image type (allowed: ${limits.types.join(', ')})`);
  }
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new Error(`referenceImageBase64: ${type} header is unreadable`);
  }
  const pixels = (size.width ?? 0) * (size.height ?? 0);
  if (!pixels) throw new Error(`referenceImageBase64: ${type} declares no dimensions`);
  if (pixels > limits.maxPixels) {
    throw new Error(`referenceImageBase64: ${size.width}x${size.height} is over the limit of ${limits.maxPixels} pixels`);
  }
  return type;
}
