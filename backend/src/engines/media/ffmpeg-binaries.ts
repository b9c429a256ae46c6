import { accessSync, constants, statSync } from 'node:fs';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * Locates ffmpeg and ffprobe: FFMPEG_PATH / FFPROBE_PATH when set (so an
 * operator can use a newer system build), otherwise the static builds shipped
 * in the @ffmpeg-installer / @ffprobe-installer npm packages. A configured
 * path that is wrong fails loudly rather than silently falling back.
 */
export function resolveFfmpegBinaries(env: NodeJS.ProcessEnv = process.env): FfmpegBinaries {
  return {
    ffmpeg: resolveBinary('FFMPEG_PATH', env.FFMPEG_PATH, () => require('@ffmpeg-installer/ffmpeg').path),
    ffprobe: resolveBinary('FFPROBE_PATH', env.FFPROBE_PATH, () => require('@ffprobe-installer/ffprobe').path),
  };
}

function resolveBinary(variable: string, configured: string | undefined, bundled: () => string): string {
  if (configured !== undefined && configured !== '') {
    const problem = executableProblem(configured);
    if (problem) throw new Error(`${variable}=${configured} ${problem}`);
    return configured;
  }
  const path = bundled();
  const problem = executableProblem(path);
  if (problem) throw new Error(`bundled binary ${path} ${problem}; set ${variable} to an executable`);
  return path;
}

function executableProblem(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return 'is not a regular file';
    accessSync(path, constants.X_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'does not exist';
    if (code === 'EACCES') return 'is not executable';
    return `cannot be used (${code ?? (err as Error).message})`;
  }
}
