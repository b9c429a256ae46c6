import { BadRequestException } from '@nestjs/common';
import { PNG } from 'pngjs';
import { decodeFaceImage, fitForAnalysis } from './face-image';

const png = (width: number, height: number) => {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
};

describe('face images', () => {
  it('decodes a PNG to RGBA and refuses what is not a JPEG or PNG, naming the field', () => {
    expect(decodeFaceImage(png(4, 3), 'file')).toMatchObject({ width: 4, height: 3 });
    expect(decodeFaceImage(png(4, 3), 'file').data).toHaveLength(4 * 3 * 4);
    expect(() => decodeFaceImage(Buffer.from('GIF89a not a face'), 'file')).toThrow(new BadRequestException('file: not a JPEG or PNG image'));
  });

  it('refuses a header that declares too many pixels before decoding anything', () => {
    const bomb = png(8, 8);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    expect(() => decodeFaceImage(bomb, 'file')).toThrow('file: 100000x100000 is over the limit of 40000000 pixels');
  });

  it('shrinks a picture over the limit by a whole factor and leaves a small one alone', () => {
    const small = { width: 10, height: 10, data: new Uint8Array(10 * 10 * 3) };
    expect(fitForAnalysis(small, 100)).toBe(small);
    const big = { width: 30, height: 20, data: new Uint8Array(30 * 20 * 3).map((_, i) => i % 251) };
    const fitted = fitForAnalysis(big, 100);
    expect({ width: fitted.width, height: fitted.height, bytes: fitted.data.length }).toEqual({ width: 10, height: 6, bytes: 10 * 6 * 3 });
    // Every third pixel of every third row: pixel (1,1) of the result is pixel (3,3) of the source.
    expect([...fitted.data.subarray((1 * 10 + 1) * 3, (1 * 10 + 1) * 3 + 3)]).toEqual([...big.data.subarray((3 * 30 + 3) * 3, (3 * 30 + 3) * 3 + 3)]);
  });
});
