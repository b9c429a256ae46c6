import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaRejectedError } from './media-rejected-error';
import { readMp4Structure } from './mp4-structure';

function box(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function largeBox(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(1, 0);
  header.write(type, 4, 'latin1');
  header.writeBigUInt64BE(BigInt(16 + body.length), 8);
  return Buffer.concat([header, body]);
}

const ftyp = (brand: string) => box('ftyp', Buffer.concat([Buffer.from(brand, 'latin1'), Buffer.alloc(4), Buffer.from('isom', 'latin1')]));

/** A video trak whose tkhd (version 1, 64-bit times) and avc1 sample entry declare the given sizes. */
function videoTrak(tkhd: [number, number], entry: [number, number]): Buffer {
  const tkhdBody = Buffer.alloc(96);
  tkhdBody[0] = 1;
  tkhdBody.writeUInt32BE(tkhd[0] * 65536, 88);
  tkhdBody.writeUInt32BE(tkhd[1] * 65536, 92);
  const hdlr = Buffer.alloc(24);
  hdlr.write('vide', 8, 'latin1');
  const sampleEntry = Buffer.alloc(78);
  sampleEntry.writeUInt16BE(entry[0], 24);
  sampleEntry.writeUInt16BE(entry[1], 26);
  const stsdBody = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]), box('avc1', sampleEntry)]);
  const stbl = box('stbl', box('stsd', stsdBody));
  return box('trak', Buffer.concat([box('tkhd', tkhdBody), box('mdia', Buffer.concat([box('hdlr', hdlr), box('minf', stbl)]))]));
}

describe('readMp4Structure', () => {
  let dir: string;
  let count = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mp4-structure-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(...parts: Buffer[]): Promise<string> {
    const path = join(dir, `f${++count}.mp4`);
    await writeFile(path, Buffer.concat(parts));
    return path;
  }

  async function rejection(path: string): Promise<MediaRejectedError> {
    const error = await readMp4Structure(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MediaRejectedError);
    return error as MediaRejectedError;
  }

  it('reads the brand, the top-level layout (64-bit and to-end sizes) and declared video dimensions', async () => {
    const moov = box('moov', videoTrak([1920, 1080], [1920, 1088]));
    const toEnd = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('mdat', 'latin1'), Buffer.alloc(100)]);
    const structure = await readMp4Structure(await file(ftyp('qt  '), moov, largeBox('free', Buffer.alloc(20)), toEnd));
    expect(structure).toEqual({
      majorBrand: 'qt  ',
      topLevelBoxes: ['ftyp', 'moov', 'free', 'mdat'],
      declaredVideoDimensions: [
        { source: 'tkhd', width: 1920, height: 1080 },
        { source: 'stsd', width: 1920, height: 1088 },
      ],
    });
  });

  it('rejects files without an index, with impossible box sizes or ending inside a header', async () => {
    expect((await rejection(await file(ftyp('isom'), box('mdat', Buffer.alloc(10))))).code).toBe('TRUNCATED');

    const tiny = box('free');
    tiny.writeUInt32BE(4, 0);
    expect(await rejection(await file(ftyp('isom'), tiny))).toMatchObject({
      code: 'MALFORMED',
      reason: "the 'free' box at offset 20 has an invalid size (4)",
    });

    expect((await rejection(await file(ftyp('isom'), box('moov'), Buffer.from([0, 0, 1])))).code).toBe('TRUNCATED');
  });

  it('refuses a flood of tiny top-level boxes', async () => {
    const flood = Buffer.concat(Array.from({ length: 5000 }, () => box('free')));
    expect(await rejection(await file(ftyp('isom'), flood))).toMatchObject({
      code: 'MALFORMED',
      reason: 'the file has more than 4096 top-level boxes',
    });
  });
});
