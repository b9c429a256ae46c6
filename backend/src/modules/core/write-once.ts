import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Creates `file` with the content `make()` returns unless it exists, and
 * returns the file's content. Several processes starting at once agree on
 * one winner: the content is written to a private temporary file first and
 * hard-linked into place, so no reader ever sees a half-written file.
 */
export function readOrCreateOnce(file: string, make: () => string, mode = 0o600): { content: string; created: boolean } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, make(), { flag: 'wx', mode });
  let created = true;
  try {
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    rmSync(temp, { force: true });
  }
  return { content: readFileSync(file, 'utf8'), created };
}
