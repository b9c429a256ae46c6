import { FileHandle, open } from 'node:fs/promises';
import { MediaRejectedError } from './media-rejected-error';

/**
 * Reads the ISO-BMFF box layout of an MP4/MOV file ourselves, before any
 * decoder sees it: ffprobe happily reports a half-downloaded file as fine when
 * its index sits at the front, and it reports the dimensions from the codec
 * headers rather than the (possibly hostile) container headers.
 */

export interface DeclaredDimensions {
  /** tkhd = track header (16.16 fixed point), stsd = visual sample entry. */
  source: 'tkhd' | 'stsd';
  width: number;
  height: number;
}

export interface Mp4Structure {
  /** The ftyp major brand, e.g. 'isom' or 'qt  ' (QuickTime). */
  majorBrand: string;
  topLevelBoxes: string[];
  /** Dimensions declared by the container for every video track. */
  declaredVideoDimensions: DeclaredDimensions[];
}

interface BoxHeader {
  type: string;
  offset: number;
  headerSize: number;
  size: number;
}

const MAX_TOP_LEVEL_BOXES = 4096;
// A moov for hours of video is a few MB; anything far larger is not a video we accept.
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
const MAX_CHILD_BOXES = 1024;

export async function readMp4Structure(file: string): Promise<Mp4Structure> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    if (fileSize === 0) throw new MediaRejectedError('EMPTY', 'the file is empty (0 bytes)');
    const head = await readAt(handle, 0, Math.min(12, fileSize));
    if (head.length < 12 || head.toString('latin1', 4, 8) !== 'ftyp') {
      throw new MediaRejectedError('NOT_MP4', `the file is not an MP4 or MOV video (${describeContent(head)})`);
    }
    const majorBrand = head.toString('latin1', 8, 12);

    const topLevel = await readTopLevelBoxes(handle, fileSize);
    const moov = topLevel.find((box) => box.type === 'moov');
    if (!moov) {
      throw new MediaRejectedError('TRUNCATED', 'the file has no moov box (its index is missing, the upload may be incomplete)');
    }
    if (moov.size > MAX_MOOV_BYTES) {
      throw new MediaRejectedError('MALFORMED', `the moov box is implausibly large (${moov.size} bytes)`);
    }
    const moovBody = await readAt(handle, moov.offset + moov.headerSize, moov.size - moov.headerSize);
    return {
      majorBrand,
      topLevelBoxes: topLevel.map((box) => box.type),
      declaredVideoDimensions: videoDimensions(moovBody),
    };
  } finally {
    await handle.close();
  }
}

async function readTopLevelBoxes(handle: FileHandle, fileSize: number): Promise<BoxHeader[]> {
  const boxes: BoxHeader[] = [];
  let offset = 0;
  while (offset < fileSize) {
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) {
      throw new MediaRejectedError('MALFORMED', `the file has more than ${MAX_TOP_LEVEL_BOXES} top-level boxes`);
    }
    const header = parseBoxHeader(await readAt(handle, offset, Math.min(16, fileSize - offset)), offset, fileSize - offset);
    if (offset + header.size > fileSize) {
      throw new MediaRejectedError(
        'TRUNCATED',
        `the file is truncated: its '${header.type}' box needs ${header.size} bytes but only ${fileSize - offset} remain`,
      );
    }
    boxes.push(header);
    offset += header.size;
  }
  return boxes;
}

/** Parses a box header from `bytes` (which start at `offset`); `available` bytes remain in the parent. */
function parseBoxHeader(bytes: Buffer, offset: number, available: number): BoxHeader {
  if (bytes.length < 8) {
    throw new MediaRejectedError('TRUNCATED', `the file ends inside a box header at offset ${offset}`);
  }
  const size32 = bytes.readUInt32BE(0);
  const type = printableType(bytes.subarray(4, 8));
  if (size32 === 1) {
    if (bytes.length < 16) throw new MediaRejectedError('TRUNCATED', `the file ends inside the '${type}' box header`);
    const size = Number(bytes.readBigUInt64BE(8));
    if (size < 16) throw new MediaRejectedError('MALFORMED', `the '${type}' box at offset ${offset} has an invalid size`);
    return { type, offset, headerSize: 16, size };
  }
  // Size 0 means "runs to the end of the enclosing space".
  const size = size32 === 0 ? available : size32;
  if (size < 8) throw new MediaRejectedError('MALFORMED', `the '${type}' box at offset ${offset} has an invalid size (${size32})`);
  return { type, offset, headerSize: 8, size };
}

/** Child boxes of an in-memory box body; a child overrunning its parent is malformed. */
function childBoxes(body: Buffer, parentType: string): Array<BoxHeader & { body: Buffer }> {
  const children: Array<BoxHeader & { body: Buffer }> = [];
  let offset = 0;
  while (offset + 8 <= body.length) {
    if (children.length >= MAX_CHILD_BOXES) {
      throw new MediaRejectedError('MALFORMED', `the '${parentType}' box has more than ${MAX_CHILD_BOXES} children`);
    }
    const header = parseBoxHeader(body.subarray(offset, offset + 16), offset, body.length - offset);
    if (offset + header.size > body.length) {
      throw new MediaRejectedError('MALFORMED', `the '${header.type}' box overruns its parent '${parentType}'`);
    }
    children.push({ ...header, body: body.subarray(offset + header.headerSize, offset + header.size) });
    offset += header.size;
  }
  return children;
}

function videoDimensions(moovBody: Buffer): DeclaredDimensions[] {
  const found: DeclaredDimensions[] = [];
  for (const trak of childBoxes(moovBody, 'moov').filter((box) => box.type === 'trak')) {
    const trakChildren = childBoxes(trak.body, 'trak');
    const mdia = trakChildren.find((box) => box.type === 'mdia');
    if (!mdia) continue;
    const mdiaChildren = childBoxes(mdia.body, 'mdia');
    const hdlr = mdiaChildren.find((box) => box.type === 'hdlr');
    // hdlr: version/flags (4), pre_defined (4), handler_type (4).
    if (!hdlr || hdlr.body.length < 12 || hdlr.body.toString('latin1', 8, 12) !== 'vide') continue;

    const tkhd = trakChildren.find((box) => box.type === 'tkhd');
    if (tkhd) {
      // Width/height are the last two 16.16 fields: at 76 in version 0, 88 in version 1 (64-bit times).
      const at = tkhd.body[0] === 1 ? 88 : 76;
      if (tkhd.body.length >= at + 8) {
        found.push({ source: 'tkhd', width: tkhd.body.readUInt32BE(at) / 65536, height: tkhd.body.readUInt32BE(at + 4) / 65536 });
      }
    }
    const stsd = descend(mdiaChildren, ['minf', 'stbl', 'stsd']);
    // stsd: version/flags (4), entry count (4), then sample entries; a visual
    // entry has 24 bytes of reserved/predefined fields before width and height.
    if (stsd && stsd.length >= 8) {
      for (const entry of childBoxes(stsd.subarray(8), 'stsd')) {
        if (entry.body.length >= 28) {
          found.push({ source: 'stsd', width: entry.body.readUInt16BE(24), height: entry.body.readUInt16BE(26) });
        }
      }
    }
  }
  return found;
}

function descend(children: Array<BoxHeader & { body: Buffer }>, path: string[]): Buffer | null {
  const [next, ...rest] = path;
  const box = children.find((child) => child.type === next);
  if (!box) return null;
  return rest.length === 0 ? box.body : descend(childBoxes(box.body, next), rest);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function printableType(bytes: Buffer): string {
  return [...bytes].map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '?')).join('');
}

/** A human hint for what a non-MP4 file looks like, for the rejection message. */
function describeContent(head: Buffer): string {
  const signatures: Array<[number[], string]> = [
    [[0x89, 0x50, 0x4e, 0x47], 'it looks like a PNG image'],
    [[0xff, 0xd8, 0xff], 'it looks like a JPEG image'],
    [[0x47, 0x49, 0x46, 0x38], 'it looks like a GIF image'],
    [[0x1a, 0x45, 0xdf, 0xa3], 'it looks like a WebM/Matroska file'],
    [[0x52, 0x49, 0x46, 0x46], 'it looks like a RIFF (AVI/WAV/WebP) file'],
  ];
  for (const [signature, description] of signatures) {
    if (signature.every((byte, i) => head[i] === byte)) return description;
  }
  if (head.length > 0 && [...head].every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f))) {
    return 'it looks like a text file';
  }
  return 'no ISO-BMFF ftyp box at offset 4';
}
