import { BadRequestException } from '@nestjs/common';
import { imageSize } from 'image-size';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbImage } from '../../engines/likeness';
import { sniffImageType } from '../clips/reference-image';

/** The largest picture decoded for face analysis: 24 megapixels (about 100 MB of RGBA). */
export const MAX_FACE_IMAGE_PIXELS = 24_000_000;

/**
 * Decodes a JPEG or PNG for face analysis after checking its header, so a
 * decompression bomb (a small file declaring a huge canvas) is refused
 * before anything is decoded. Errors are 400s naming `field`.
 */
export function decodeFaceImage(bytes: Buffer, field: string): RgbImage {
  const type = sniffImageType(bytes);
  if (type !== 'jpeg' && type !== 'png') throw new BadRequestException(`${field}: not a JPEG or PNG image`);
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch {
    throw new BadRequestException(`${field}: the ${type} header is unreadable`);
  }
  const pixels = (size.width ?? 0) * (size.height ?? 0);
  if (!pixels) throw new BadRequestException(`${field}: the ${type} declares no dimensions`);
  if (pixels > MAX_FACE_IMAGE_PIXELS) throw new BadRequestException(`${field}: ${size.width}x${size.height} is over the limit of ${MAX_FACE_IMAGE_PIXELS} pixels`);
  try {
    if (type === 'jpeg') {
      const image = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_FACE_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
      return { width: image.width, height: image.height, data: image.data };
    }
    const image = PNG.sync.read(bytes);
    return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length) };
  } catch (err) {
    throw new BadRequestException(`${field}: the ${type} does not decode (${(err as Error).message.split('\n')[0]})`);
  }
}
