import { BadRequestException } from '@nestjs/common';
import { imageSize } from 'image-size';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RgbImage } from '../../engines/likeness';
import { sniffImageType } from '../clips/reference-image';

/** The largest picture decoded for face analysis: 40 megapixels (about 160 MB of RGBA), the reference image's own limit. */
export const MAX_FACE_IMAGE_PIXELS = 40_000_000;

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

/**
 * The picture at most `maxPixels` large, shrunk by a whole factor (keeping
 * every k-th pixel) when it is bigger: faces stay far above the detector's
 * minimum, and the analyser's own size limit is never hit.
 */
export function fitForAnalysis(image: RgbImage, maxPixels: number): RgbImage {
  const k = Math.ceil(Math.sqrt((image.width * image.height) / maxPixels));
  if (k <= 1) return image;
  const channels = image.data.length / (image.width * image.height);
  const width = Math.floor(image.width / k);
  const height = Math.floor(image.height / k);
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * k * image.width + x * k) * channels;
      data.set(image.data.subarray(from, from + channels), (y * width + x) * channels);
    }
  }
  return { width, height, data };
}
