/**
 * Control characters other than tab and newline: C0, DEL and C1 (U+0080–U+009F).
 * They have no place in text people write and hide evasions from moderation.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one (no `u` flag: code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a piece of user-written text, or null when it is plain text. */
export function freeTextProblem(text: string): string | null {
  if (CONTROL.test(text)) return 'contains control characters';
  // A lone surrogate cannot be stored as UTF-8 (it would become U+FFFD later, far from the request).
  if (LONE_SURROGATE.test(text) || text.includes('\ufffd')) return 'is not valid UTF-8 text';
  return null;
}
