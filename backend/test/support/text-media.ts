import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';

/**
 * Test media with burnt-in text for the moderation specs and bench (OCR finds
 * the text), generated with the real ffmpeg (lavfi sources + drawtext), never
 * committed as binaries. The plain clips and hostile files are in media-corpus.ts.
 */
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

function drawtext(text: string, size: number, enable?: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:');
  const when = enable ? `:enable='${enable}'` : '';
  return `drawtext=fontfile=${FONT}:text='${escaped}':fontsize=${size}:fontcolor=black:box=1:boxcolor=white:boxborderw=20:x=(w-text_w)/2:y=(h-text_h)/2${when}`;
}

async function ffmpeg(args: string[]): Promise<void> {
  await runProcess(resolveFfmpegBinaries().ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
    timeoutMs: 60_000,
  });
}

/** A still image with `text` in large black letters on a light background. */
export async function makeTextImage(
  dir: string,
  name: string,
  text: string,
  { width = 1280, height = 720 }: { width?: number; height?: number } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `color=c=0xD3D3D3:s=${width}x${height}`, '-vf', drawtext(text, Math.round(height / 10)), '-frames:v', '1', '-y', path]);
  return path;
}

/**
 * An H.264 clip of a moving test pattern; when `text` is given it is burnt
 * in from `textFrom` to `textTo` seconds, so OCR finds it only on those frames.
 */
export async function makeTextClip(
  dir: string,
  name: string,
  {
    seconds,
    width = 1280,
    height = 720,
    text,
    textFrom = 0,
    textTo = seconds,
    audio = false,
  }: { seconds: number; width?: number; height?: number; text?: string; textFrom?: number; textTo?: number; audio?: boolean },
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const args = ['-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30:duration=${seconds}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  if (text) args.push('-vf', drawtext(text, Math.round(height / 10), `between(t,${textFrom},${textTo})`));
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-b:a', '64k');
  args.push('-movflags', '+faststart', '-y', path);
  await ffmpeg(args);
  return path;
}
