import { open } from 'node:fs/promises';
import { InputUnreadableError, UnsupportedMediaError } from './c2pa-errors';

/**
 * C2PA hard binding for video here is the BMFF hash, so only ISO BMFF files
 * (MP4, MOV) can be signed or checked; anything else is named plainly
 * instead of surfacing as an opaque c2pa-rs error.
 */
export async function checkIsoBmffFile(path: string): Promise<{ bytes: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputUnreadableError(`cannot open ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    checkIsoBmffHead(head.subarray(0, Math.min(12, size)), path);
    return { bytes: size };
  } finally {
    await handle.close();
  }
}

export function checkIsoBmffHead(head: Uint8Array, what: string): void {
  if (head.length < 12 || Buffer.from(head.subarray(4, 8)).toString('latin1') !== 'ftyp') {
    throw new UnsupportedMediaError(`${what} is not an MP4/MOV (ISO BMFF) file: it does not start with an ftyp box`);
  }
}
