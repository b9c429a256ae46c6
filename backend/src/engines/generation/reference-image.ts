import { readFile } from 'node:fs/promises';
import { imageSize } from 'image-size';
import { GenerationError, GenerationRequest, ReferenceImageType } from './generation-provider';

const TYPE_NAMES: Record<ReferenceImageType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const MAX_SIDE = 8192;
const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Checks that a reference image is what its declared type says and of a sane
 * size before it reaches a decoder or an upload. Throws INVALID_REQUEST.
 */
export async function checkReferenceImage(
  ref: NonNullable<GenerationRequest['referenceImage']>,
): Promise<{ width: number; height: number; bytes: Buffer }> {
  const bytes = await readFile(ref.path).catch((err: NodeJS.ErrnoException) => {
    throw new GenerationError('INVALID_REQUEST', `reference image cannot be read (${err.code ?? err.message})`, false);
  });
  if (bytes.length > MAX_BYTES) {
    throw new GenerationError('INVALID_REQUEST', `reference image is ${bytes.length} bytes, above the ${MAX_BYTES} byte limit`, false);
  }
  let detected: { width?: number; height?: number; type?: string };
  try {
    detected = imageSize(bytes);
  } catch {
    throw new GenerationError('INVALID_REQUEST', `reference image is not a PNG, JPEG or WebP image`, false);
  }
  const expected = TYPE_NAMES[ref.mimeType];
  if (detected.type !== expected) {
    throw new GenerationError('INVALID_REQUEST', `reference image is declared ${ref.mimeType} but its content is ${detected.type}`, false);
  }
  const width = detected.width ?? 0;
  const height = detected.height ?? 0;
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new GenerationError('INVALID_REQUEST', `reference image is ${width}x${height}, outside 1..${MAX_SIDE} per side`, false);
  }
  return { width, height, bytes };
}
