import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MediaRejectionCode, resolveFfmpegBinaries, runProcess } from '../../src/engines/media';

/**
 * Test media generated on the fly with the real ffmpeg (lavfi testsrc2 + sine),
 * so no binary fixtures live in the repository. Everything is small and uses
 * the fastest encoder presets: a default clip takes well under a second.
 *
 *   const clip = await makeClip(dir, { seconds: 2, videoCodec: 'hevc', container: 'mov' });
 *   const cut = await makeSceneCutClip(dir, { seconds: 4, cutAtSeconds: 2.5 });
 *   const image = await makeStillImage(dir, { name: 'ref.png', width: 320, height: 180, format: 'png' });
 *   const hostile = await makeHostileCorpus(dir);   // about 1 s
 *   for (const [name, item] of Object.entries(hostile)) {
 *     // upload item.path; expect a rejection whose MediaRejectedError code is item.expectedRejection
 *   }
 *
 * AV1 encoding is slow with the bundled libaom (seconds per second of video):
 * keep AV1 clips short and tiny. Every function creates `dir` if needed.
 */

export interface ClipSpec {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  videoCodec: 'h264' | 'hevc' | 'av1' | 'vp9';
  /** Opus needs container mp4 or webm (the bundled ffmpeg cannot put Opus in MOV). */
  audio: 'aac' | 'opus' | null;
  container: 'mp4' | 'mov' | 'webm';
  /** File name inside `dir`; defaults to one derived from the spec. */
  name?: string;
}

export const DEFAULT_CLIP: Readonly<ClipSpec> = Object.freeze({
  seconds: 1,
  width: 160,
  height: 120,
  fps: 30,
  videoCodec: 'h264',
  audio: 'aac',
  container: 'mp4',
});

const VIDEO_ENCODER_ARGS: Record<ClipSpec['videoCodec'], string[]> = {
  h264: ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
  // hvc1 is the sample entry Apple players and most validators expect in MP4/MOV.
  hevc: ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1'],
  av1: ['-c:v', 'libaom-av1', '-cpu-used', '8', '-crf', '50', '-b:v', '0', '-pix_fmt', 'yuv420p'],
  vp9: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'],
};

const AUDIO_ENCODER_ARGS: Record<'aac' | 'opus', string[]> = {
  aac: ['-c:a', 'aac', '-b:a', '64k'],
  opus: ['-c:a', 'libopus', '-b:a', '48k'],
};

/** Generates a valid clip (moving test pattern + 440 Hz tone) in `dir` (created if missing) and returns its path. */
export async function makeClip(dir: string, spec: Partial<ClipSpec> = {}): Promise<string> {
  const clip: ClipSpec = { ...DEFAULT_CLIP, ...spec };
  const name =
    clip.name ?? `${clip.videoCodec}-${clip.audio ?? 'silent'}-${clip.width}x${clip.height}-${clip.seconds}s.${clip.container}`;
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
  args.push('-f', 'lavfi', '-i', `testsrc2=size=${clip.width}x${clip.height}:rate=${clip.fps}:duration=${clip.seconds}`);
  if (clip.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${clip.seconds}`);
  args.push(...VIDEO_ENCODER_ARGS[clip.videoCodec]);
  if (clip.audio) args.push(...AUDIO_ENCODER_ARGS[clip.audio]);
  // The bundled 2018 ffmpeg still marks AV1 and Opus-in-MP4 as experimental.
  args.push('-strict', 'experimental');
  if (clip.container !== 'webm') args.push('-movflags', '+faststart');
  args.push('-f', clip.container, '-y', path);
  await ffmpeg(args);
  return path;
}

/**
 * H.264 MP4 (no audio) showing the test pattern until `cutAtSeconds`, then a
 * solid red picture: one unmistakable scene change, for frame sampling tests.
 */
export async function makeSceneCutClip(
  dir: string,
  { seconds, cutAtSeconds, width = 160, height = 120 }: { seconds: number; cutAtSeconds: number; width?: number; height?: number },
): Promise<string> {
  const path = join(dir, `scene-cut-${cutAtSeconds}s-of-${seconds}s.mp4`);
  await mkdir(dir, { recursive: true });
  const size = `${width}x${height}`;
  const graph =
    `testsrc2=size=${size}:rate=30:duration=${cutAtSeconds}[a];` +
    `color=color=red:size=${size}:rate=30:duration=${seconds - cutAtSeconds}[b];[a][b]concat=n=2:v=1:a=0`;
  await ffmpeg([
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', graph],
    ...VIDEO_ENCODER_ARGS.h264,
    ...['-f', 'mp4', '-y', path],
  ]);
  return path;
}

const IMAGE_ENCODERS = { png: 'png', jpg: 'mjpeg', webp: 'libwebp' } as const;

/**
 * Writes a still image (a test pattern, or a solid `color` such as 'red') and
 * returns its path; e.g. a reference image for generation requests.
 */
export async function makeStillImage(
  dir: string,
  { name, width, height, format, color }: { name: string; width: number; height: number; format: 'png' | 'jpg' | 'webp'; color?: string },
): Promise<string> {
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  const source = color ? `color=c=${color}:s=${width}x${height}` : `testsrc2=s=${width}x${height}`;
  await ffmpeg([
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', source],
    ...['-frames:v', '1', '-c:v', IMAGE_ENCODERS[format], '-f', 'image2', '-y', path],
  ]);
  return path;
}

/**
 * H.264 MP4 panning across a photograph: scaled to `scaleWidth` wide, a
 * 640×360 window sliding `panPixels` to the right over `seconds`, starting
 * `top` pixels down (so a face in the photo moves across the frame).
 */
export async function makePanClip(dir: string, { name, photo, seconds, scaleWidth = 720, top = 40, panPixels = 80 }: { name: string; photo: string; seconds: number; scaleWidth?: number; top?: number; panPixels?: number }): Promise<string> {
  const path = join(dir, name);
  await mkdir(dir, { recursive: true });
  await ffmpeg([
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-loop', '1', '-framerate', '25', '-i', photo, '-t', String(seconds)],
    ...['-vf', `scale=${scaleWidth}:-2,crop=640:360:'min(iw-640,${panPixels}*t/${seconds})':${top},format=yuv420p`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-movflags', '+faststart', '-f', 'mp4', '-y', path],
  ]);
  return path;
}

export interface HostileMedia {
  path: string;
  /** What is wrong with the file, for test names and failure messages. */
  description: string;
  /** The MediaRejectedError code MediaProber must throw for it. */
  expectedRejection: MediaRejectionCode;
}

export type HostileName =
  | 'truncated'
  | 'zeroBytes'
  | 'absurdDimensions'
  | 'wrongMagic'
  | 'textAsMp4'
  | 'pngAsMp4'
  | 'vp9Webm'
  | 'audioOnly'
  | 'corruptSampleTable';

/** Writes every hostile or unacceptable file into `dir` (created if missing). */
export async function makeHostileCorpus(dir: string): Promise<Record<HostileName, HostileMedia>> {
  const valid = await makeClip(dir, { seconds: 2, name: 'hostile-source.mp4' });
  const validBytes = await readFile(valid);

  const truncated = join(dir, 'truncated.mp4');
  await writeFile(truncated, validBytes.subarray(0, Math.floor(validBytes.length * 0.6)));

  const zeroBytes = join(dir, 'zero-bytes.mp4');
  await writeFile(zeroBytes, Buffer.alloc(0));

  const absurdDimensions = join(dir, 'absurd-dimensions.mp4');
  await writeFile(absurdDimensions, claimDimensions(validBytes, 65_535, 65_535));

  const wrongMagic = join(dir, 'wrong-magic.mp4');
  const garbled = Buffer.from(validBytes);
  garbled.write('\xde\xad\xbe\xefjunkjunk', 0, 'latin1');
  await writeFile(wrongMagic, garbled);

  const textAsMp4 = join(dir, 'text.mp4');
  await writeFile(textAsMp4, 'This is a plain text file with a video extension.\n');

  const pngAsMp4 = await makeStillImage(dir, { name: 'image.mp4', width: 64, height: 48, format: 'png' });

  const vp9Webm = await makeClip(dir, { videoCodec: 'vp9', audio: 'opus', container: 'webm', name: 'vp9.webm' });

  const audioOnly = join(dir, 'audio-only.mp4');
  await ffmpeg([
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1'],
    ...['-c:a', 'aac', '-f', 'mp4', '-y', audioOnly],
  ]);

  const corruptSampleTable = join(dir, 'corrupt-sample-table.mp4');
  await writeFile(corruptSampleTable, claimSampleEntryCount(validBytes, 0x7fffffff));

  return {
    truncated: { path: truncated, description: 'MP4 cut off at 60% of its length', expectedRejection: 'TRUNCATED' },
    zeroBytes: { path: zeroBytes, description: 'empty file', expectedRejection: 'EMPTY' },
    absurdDimensions: {
      path: absurdDimensions,
      description: 'MP4 whose track header and sample entry claim 65535x65535 (4.3 gigapixels)',
      expectedRejection: 'DIMENSIONS',
    },
    wrongMagic: { path: wrongMagic, description: 'MP4 whose first 12 bytes are garbage', expectedRejection: 'NOT_MP4' },
    textAsMp4: { path: textAsMp4, description: 'text file named .mp4', expectedRejection: 'NOT_MP4' },
    pngAsMp4: { path: pngAsMp4, description: 'PNG image named .mp4', expectedRejection: 'NOT_MP4' },
    vp9Webm: { path: vp9Webm, description: 'VP9/Opus WebM', expectedRejection: 'NOT_MP4' },
    audioOnly: { path: audioOnly, description: 'AAC-only MP4 without a video stream', expectedRejection: 'NO_VIDEO' },
    corruptSampleTable: {
      path: corruptSampleTable,
      description: 'MP4 whose box layout is intact but whose sample description claims 2^31 entries',
      expectedRejection: 'UNREADABLE',
    },
  };
}

/** Returns a copy of an MP4 whose video sample description (stsd) claims `count` entries. */
function claimSampleEntryCount(mp4: Buffer, count: number): Buffer {
  const patched = Buffer.from(mp4);
  const stsd = videoSampleDescription(patched);
  patched.writeUInt32BE(count, stsd.start + 4); // after version/flags
  return patched;
}

/**
 * Returns a copy of an MP4 whose video track and sample entry headers claim
 * the given size. Both fields top out at 65535 (16-bit, or 16.16 fixed point),
 * the largest lie a container header can tell.
 */
function claimDimensions(mp4: Buffer, width: number, height: number): Buffer {
  const patched = Buffer.from(mp4);
  const { trak } = videoTrack(patched);
  const tkhd = boxBodies(patched, trak.start, trak.end, 'tkhd')[0];
  const at = tkhd.start + (patched[tkhd.start] === 1 ? 88 : 76);
  patched.writeUInt32BE(width * 65536, at);
  patched.writeUInt32BE(height * 65536, at + 4);
  // First sample entry: 8 bytes of stsd header, 8 of entry header, then width at +24.
  const entry = videoSampleDescription(patched).start + 8 + 8;
  patched.writeUInt16BE(width, entry + 24);
  patched.writeUInt16BE(height, entry + 26);
  return patched;
}

type Span = { start: number; end: number };

function videoTrack(mp4: Buffer): { trak: Span; mdia: Span } {
  const moov = boxBodies(mp4, 0, mp4.length, 'moov')[0];
  for (const trak of boxBodies(mp4, moov.start, moov.end, 'trak')) {
    const mdia = boxBodies(mp4, trak.start, trak.end, 'mdia')[0];
    const hdlr = boxBodies(mp4, mdia.start, mdia.end, 'hdlr')[0];
    if (mp4.toString('latin1', hdlr.start + 8, hdlr.start + 12) === 'vide') return { trak, mdia };
  }
  throw new Error('test media has no video track to patch');
}

function videoSampleDescription(mp4: Buffer): Span {
  const { mdia } = videoTrack(mp4);
  const minf = boxBodies(mp4, mdia.start, mdia.end, 'minf')[0];
  const stbl = boxBodies(mp4, minf.start, minf.end, 'stbl')[0];
  return boxBodies(mp4, stbl.start, stbl.end, 'stsd')[0];
}

/** Bodies of the direct children of type `type` between `start` and `end` (32-bit sizes only; fine for our small clips). */
function boxBodies(buf: Buffer, start: number, end: number, type: string): Span[] {
  const found: Span[] = [];
  for (let offset = start; offset + 8 <= end; ) {
    const size = buf.readUInt32BE(offset);
    if (size < 8) throw new Error(`unexpected box size ${size} at ${offset} while patching test media`);
    if (buf.toString('latin1', offset + 4, offset + 8) === type) found.push({ start: offset + 8, end: offset + size });
    offset += size;
  }
  return found;
}

async function ffmpeg(args: string[]): Promise<void> {
  await runProcess(resolveFfmpegBinaries().ffmpeg, args, { timeoutMs: 60_000 });
}
