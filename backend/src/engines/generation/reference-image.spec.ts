import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { GenerationError } from './generation-provider';
import { checkReferenceImage } from './reference-image';

describe('checkReferenceImage', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reference-image-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rejection(path: string, mimeType: 'image/png' | 'image/jpeg' | 'image/webp' = 'image/png'): Promise<string> {
    const error = await checkReferenceImage({ path, mimeType }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GenerationError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', retryable: false });
    return (error as GenerationError).message;
  }

  it('accepts a real PNG and reports its size', async () => {
    const path = join(dir, 'ok.png');
    await writeFile(path, PNG.sync.write(new PNG({ width: 40, height: 30 })));
    const checked = await checkReferenceImage({ path, mimeType: 'image/png' });
    expect([checked.width, checked.height]).toEqual([40, 30]);
  });

  it('rejects missing files, non-images, mislabelled images and absurd dimensions', async () => {
    expect(await rejection(join(dir, 'missing.png'))).toBe('reference image cannot be read (ENOENT)');

    const text = join(dir, 'text.png');
    await writeFile(text, 'not an image at all');
    expect(await rejection(text)).toBe('reference image is not a PNG, JPEG or WebP image');

    const png = join(dir, 'real.png');
    await writeFile(png, PNG.sync.write(new PNG({ width: 8, height: 8 })));
    expect(await rejection(png, 'image/webp')).toBe('reference image is declared image/webp but its content is png');

    // A PNG header (signature + IHDR) claiming 100000x100000, with no pixel data behind it.
    const header = Buffer.from(PNG.sync.write(new PNG({ width: 1, height: 1 })).subarray(0, 33));
    header.writeUInt32BE(100_000, 16);
    header.writeUInt32BE(100_000, 20);
    const huge = join(dir, 'huge.png');
    await writeFile(huge, header);
    expect(await rejection(huge)).toBe('reference image is 100000x100000, outside 1..8192 per side');
  });
});
