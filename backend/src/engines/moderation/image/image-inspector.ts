import { open, stat } from 'node:fs/promises';
import { imageSize } from 'image-size';
import { ModerationInputError } from '../moderation-errors';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface InspectedImage {
  path: string;
  format: ImageFormat;
  mimeType: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
}

export interface ImageLimits {
  maxBytes: number;
  maxSide: number;
  /** Decoded size cap: a small file claiming a huge canvas is a decompression bomb. */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxBytes: 20 * 1024 * 1024, maxSide: 8192, maxPixels: 40_000_000 };

// Large enough to reach the size marker of a JPEG behind a big EXIF block.
const HEADER_BYTES = 512 * 1024;
const MIME: Record<ImageFormat, InspectedImage['mimeType']> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/**
 * Checks an image before anything decodes it: the magic bytes must say PNG,
 * JPEG or WebP, and the dimensions in the header must be within limits, so
 * a decompression bomb is refused from its header alone.
 */
export async function inspectImage(path: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<InspectedImage> {
  let bytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModerationInputError('IMAGE_UNREADABLE', `${path} is not a regular file`);
    bytes = info.size;
  } catch (err) {
    if (err instanceof ModerationInputError) throw err;
    throw new ModerationInputError('IMAGE_UNREADABLE', `cannot read image ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (bytes === 0) throw new ModerationInputError('NOT_AN_IMAGE', 'image file is empty');
  if (bytes > limits.maxBytes) {
    throw new ModerationInputError('IMAGE_TOO_LARGE', `image is ${bytes} bytes; the limit is ${limits.maxBytes}`);
  }
  const header = await readHeader(path);
  const format = sniffFormat(header);
  if (!format) throw new ModerationInputError('NOT_AN_IMAGE', 'file is not a PNG, JPEG or WebP image (unrecognised magic bytes)');

  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = imageSize(header));
  } catch (err) {
    throw new ModerationInputError('IMAGE_UNREADABLE', `${format} header is corrupt: ${(err as Error).message}`);
  }
  if (!width || !height) throw new ModerationInputError('IMAGE_UNREADABLE', `${format} header has no dimensions`);
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new ModerationInputError(
      'IMAGE_TOO_LARGE',
      `image claims ${width}x${height} pixels; limits are ${limits.maxSide} per side and ${limits.maxPixels} in total (possible decompression bomb)`,
    );
  }
  return { path, format, mimeType: MIME[format], width, height, bytes };
}

async function readHeader(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function sniffFormat(header: Buffer): ImageFormat | null {
  if (header.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (header[0] === 0xff && header[1] === 0xd8 && header[2] === 0xff) return 'jpeg';
  if (header.toString('latin1', 0, 4) === 'RIFF' && header.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}
