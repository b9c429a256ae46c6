import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../src/engines/media';
import type { Stack } from '../test/support/stack';

/**
 * The clip the pipeline bench uploads: a slow pan across a real photograph
 * (not a synthetic pattern, which encodes and moderates unlike camera
 * footage) with audio, H.264/AAC in MP4, made once per run in the work dir.
 *
 * The photograph comes from Debian's mate-backgrounds package (GPL-2+,
 * "Garden" by Charles Barbin, 2560×1600): a flower close-up, benign, so the
 * clip passes moderation. BENCH_PHOTOGRAPH=/path/to.jpg uses another one.
 */
const GARDEN = 'usr/share/backgrounds/mate/nature/Garden.jpg';
// Where backend/fixtures/watermark/fetch-media.sh unpacks the packages (this file runs from dist/bench/), or an installed package.
const PLACES = [resolve(__dirname, '../../../.cache/bench-media', GARDEN), `/${GARDEN}`];

export function findPhotograph(): string {
  const path = process.env.BENCH_PHOTOGRAPH ?? PLACES.find((p) => existsSync(p));
  if (!path || !existsSync(path)) {
    throw new Error(`the pipeline bench pans over a real photograph and found none: run backend/fixtures/watermark/fetch-media.sh or set BENCH_PHOTOGRAPH`);
  }
  return path;
}

export interface UploadClip {
  path: string;
  photograph: string;
  seconds: number;
  width: number;
  height: number;
}

export async function makeUploadClip(dir: string, { seconds, width = 1280, height = 720 }: { seconds: number; width?: number; height?: number }): Promise<UploadClip> {
  const photograph = findPhotograph();
  const path = join(dir, `upload-${basename(photograph).replace(/\.\w+$/, '')}-${width}x${height}-${seconds}s.mp4`);
  // Scale the photograph to 1.5× the frame width and pan the frame across it once over the clip.
  const video = `scale=${Math.round(width * 1.5)}:-2,crop=${width}:${height}:x='(in_w-out_w)*t/${seconds}':y='(in_h-out_h)/2',format=yuv420p`;
  // Generated audio (no recorded sound ships in the packages here): pink noise under a soft 220 Hz tone.
  const audio = `anoisesrc=color=pink:amplitude=0.05:sample_rate=48000[n];sine=frequency=220:sample_rate=48000,volume=0.2[s];[n][s]amix=inputs=2`;
  await runProcess(
    resolveFfmpegBinaries().ffmpeg,
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
      ...['-loop', '1', '-framerate', '30', '-i', photograph, '-f', 'lavfi', '-i', audio],
      ...['-vf', video, '-t', String(seconds)],
      // x264 and AAC at their defaults, as a camera app or an editor would export.
      ...['-c:v', 'libx264', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', '-y', path],
    ],
    { timeoutMs: 600_000 },
  );
  return { path, photograph, seconds, width, height };
}

/** POST /api/v1/clips/upload with the file as multipart `file`; returns the new clip's id. */
export async function uploadClip(stack: Stack, token: string, file: Blob, name: string): Promise<string> {
  const form = new FormData();
  form.append('file', file, name);
  const res = await stack.call<{ id: string }>('/api/v1/clips/upload', { token, body: form });
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}
