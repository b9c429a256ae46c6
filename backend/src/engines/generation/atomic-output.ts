import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Lets `write` fill a temporary file next to `outputPath` and renames it into
 * place only when `write` succeeds, so a failed, aborted or killed run never
 * leaves a half-written file at the output path. Same directory, so the
 * rename is atomic.
 */
export async function writeAtomically<T>(outputPath: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const tempPath = join(dirname(outputPath), `.${basename(outputPath)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    const result = await write(tempPath);
    await rename(tempPath, outputPath);
    return result;
  } finally {
    await rm(tempPath, { force: true });
  }
}
