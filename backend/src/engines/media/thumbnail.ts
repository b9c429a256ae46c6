import { rm, stat } from 'node:fs/promises';
import { FfmpegBinaries } from './ffmpeg-binaries';
import { MediaProcessError, runProcess } from './run-process';

export interface ThumbnailOptions {
  atSeconds: number;
  /** Output width; never upscaled, height keeps the aspect ratio. */
  width: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Writes one JPEG frame taken at `atSeconds` to `outPath`. */
export async function extractThumbnail(
  bins: FfmpegBinaries,
  file: string,
  outPath: string,
  options: ThumbnailOptions,
): Promise<{ path: string; bytes: number }> {
  if (!(options.atSeconds >= 0) || !(options.width >= 16)) {
    throw new RangeError(`invalid thumbnail options: atSeconds=${options.atSeconds}, width=${options.width}`);
  }
  // A stale file from an earlier run must not pass for this run's output.
  await rm(outPath, { force: true });
  // -ss before -i seeks by keyframe index instead of decoding from the start.
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-ss', String(options.atSeconds), '-i', `file:${file}`];
  args.push('-an', '-sn', '-dn', '-frames:v', '1', '-vf', `scale='min(${options.width}\\,iw)':-2`);
  args.push('-c:v', 'mjpeg', '-q:v', '3', '-f', 'image2', '-y', `file:${outPath}`);
  const { stderr } = await runProcess(bins.ffmpeg, args, { timeoutMs: options.timeoutMs, signal: options.signal });

  const bytes = await stat(outPath).then((s) => s.size, () => 0);
  if (bytes === 0) {
    throw new MediaProcessError(
      'NO_OUTPUT',
      bins.ffmpeg,
      `no frame at ${options.atSeconds} s (is the clip shorter than that?)`,
      0,
      stderr.trim(),
    );
  }
  return { path: outPath, bytes };
}
