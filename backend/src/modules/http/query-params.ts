import { BadRequestException } from '@nestjs/common';
import { isIsoTime, type PageLimit } from '@provenant/shared';
import { z } from 'zod';

export { isIsoTime };

/** How the API contract describes a `limit` query parameter; `queryLimit` reads it against the same bounds. */
export const limitParam = (limit: PageLimit) => z.string().regex(/^\d+$/).optional().describe(`page size, 1 to ${limit.max} (default ${limit.default})`);
export const cursorParam = () => z.string().optional().describe('nextCursor of the previous page');

/**
 * Query parameters arrive as strings, arrays (`?a=1&a=2`) or objects (`?a[b]=1`):
 * these read one parameter as a single string and check its form, so a
 * malformed one is a 400 naming it, never an error further down.
 */
export function queryText(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestException(`${name}: must be given once, as plain text`);
  return value;
}

/** An ISO 8601 time such as 2026-01-31T12:00:00Z. */
export function queryTime(query: Record<string, unknown>, name: string): string | undefined {
  const text = queryText(query, name);
  if (text !== undefined && text !== '' && !isIsoTime(text)) throw new BadRequestException(`${name}: must be an ISO 8601 time such as 2026-01-31T12:00:00Z`);
  return text;
}

/** The page size asked for, or the list's default; anything outside 1 to its maximum is a 400 naming `limit`. */
export function queryLimit(query: Record<string, unknown>, limit: PageLimit): number {
  const text = queryText(query, 'limit');
  if (text === undefined) return limit.default;
  const n = strictInt(text);
  if (!Number.isInteger(n) || n < 1 || n > limit.max) throw new BadRequestException(`limit: must be an integer from 1 to ${limit.max}`);
  return n;
}

/** Digits only: `Number()` would also take `1e3`, `0x10` or ` 5`. NaN for anything else. */
export function strictInt(text: string): number {
  return /^\d{1,15}$/.test(text) ? Number(text) : NaN;
}
