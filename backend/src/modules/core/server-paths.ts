/**
 * An absolute filesystem path of two or more segments, not part of a URL
 * (`https://host/a/b` is kept). Error messages of libraries name files in
 * the content store or scratch area; those names are the server's business.
 */
const SERVER_PATH = /(?<![:\w/.])(?:\/[\w.@+-]+){2,}\/?/g;

/** `text` with every absolute filesystem path replaced by `<path>`, for anything a client, webhook or the audit log sees. */
export function withoutServerPaths(text: string): string {
  return text.replace(SERVER_PATH, '<path>');
}
