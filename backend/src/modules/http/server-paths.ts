/** What a server path in a message becomes. */
export const SERVER_PATH = '<server path>';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every path under one of `roots` (the data directory, the
 * installation, the temp directory) with SERVER_PATH. JSON-escaped
 * backslashes and quotes end a path, so it is safe on serialised bodies.
 */
export function redactServerPaths(text: string, roots: readonly string[]): string {
  const usable = [...new Set(roots.filter((r) => r.length > 1).map((r) => r.replace(/\/+$/, '')))].sort((a, b) => b.length - a.length);
  if (usable.length === 0) return text;
  // A root counts only as a whole path segment, not inside a URL or a longer name (/tmp, not /tmpfile or host/tmp).
  const pattern = new RegExp(`(?<![\\w./:-])(?:${usable.map(escape).join('|')})(?=$|[/\\s"'\\\\,;)])(?:/[^\\s"'\\\\,;)]*)?`, 'g');
  return text.replace(pattern, SERVER_PATH);
}
