/** What a `Range` request header asks of a file of a known size. */
export type ByteRange =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number }
  | { kind: 'unsatisfiable'; problem: string };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a `Range` header (RFC 9110 §14) for a file of `size` bytes: one
 * `bytes=` range, `start-end`, `start-` or a suffix `-length`. Several
 * ranges at once are refused rather than answered as multipart: a media
 * element never asks for them.
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return { kind: 'whole' };
  const spec = header.trim();
  if (spec.includes(',')) return { kind: 'unsatisfiable', problem: 'only one byte range per request is served' };
  const match = SINGLE_RANGE.exec(spec.replace(/\s+/g, ''));
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'unsatisfiable', problem: `"${spec.slice(0, 64)}" is not a byte range (bytes=start-end, bytes=start- or bytes=-length)` };
  const [, from, to] = match;
  if (from === '') {
    const length = Number(to);
    if (length === 0) return { kind: 'unsatisfiable', problem: 'a suffix range must ask for at least one byte' };
    return { kind: 'part', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return { kind: 'unsatisfiable', problem: `starts at byte ${start}, beyond the file's ${size} bytes` };
  if (end < start) return { kind: 'unsatisfiable', problem: `ends (byte ${to}) before it starts (byte ${start})` };
  return { kind: 'part', start, end };
}
