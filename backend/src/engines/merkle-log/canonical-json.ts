import { CanonicalJsonError } from './errors';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: the same data always
 * gives the same bytes, whatever key order or number spelling it arrived
 * with, so a leaf hash can be recomputed from a row read back from Postgres.
 *
 * Numbers and strings use the ECMAScript serialisation JCS is defined by
 * (JSON.stringify of a finite number or a well-formed string); object keys
 * are sorted by UTF-16 code units. Anything that is not I-JSON data
 * (undefined, NaN, Infinity, BigInt, lone surrogates, class instances,
 * cycles) is refused rather than silently dropped or coerced.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

const LONE_SURROGATE = /\p{Surrogate}/u;

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'string':
      return writeString(value, path);
    case 'object':
      return writeContainer(value, path, ancestors);
    default:
      throw new CanonicalJsonError(path, `${typeof value} is not JSON data`);
  }
}

function writeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(path, 'string contains a lone UTF-16 surrogate');
  return JSON.stringify(value);
}

function writeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'cyclic reference');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Indexed loop, not map(): map() skips holes of a sparse array.
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) items.push(write(value[i], `${path}[${i}]`, ancestors));
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new CanonicalJsonError(path, `${proto?.constructor?.name ?? 'object'} instance is not plain JSON data`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${writeString(key, `${path}.${key}`)}:${write(record[key], `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
