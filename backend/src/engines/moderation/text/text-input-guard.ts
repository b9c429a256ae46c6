import { ModerationInputError } from '../moderation-errors';

/** A prompt above this size is refused rather than scanned (32 KiB of UTF-8). */
export const MAX_PROMPT_BYTES = 32 * 1024;
// Control characters other than tab and line breaks, and U+FFFD (what invalid UTF-8 decodes to).
const BINARY_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/g;
const MAX_BINARY_SHARE = 0.01;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses prompt text that cannot be moderated meaningfully: empty or
 * whitespace-only, over the size limit, or binary garbage (NUL bytes,
 * control characters, undecodable bytes, broken surrogate pairs).
 */
export function checkPromptText(text: unknown, maxBytes = MAX_PROMPT_BYTES): string {
  if (typeof text !== 'string') throw new ModerationInputError('EMPTY_TEXT', 'prompt must be a string');
  if (text.trim() === '') throw new ModerationInputError('EMPTY_TEXT', 'prompt is empty');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new ModerationInputError('TEXT_TOO_LONG', `prompt is ${bytes} bytes; the limit is ${maxBytes}`);
  }
  if (text.includes('\u0000')) throw new ModerationInputError('BINARY_TEXT', 'prompt contains NUL bytes; it looks like binary data, not text');
  if (LONE_SURROGATE.test(text)) throw new ModerationInputError('BINARY_TEXT', 'prompt contains unpaired UTF-16 surrogates');
  const binary = text.match(BINARY_CHAR)?.length ?? 0;
  if (binary / text.length > MAX_BINARY_SHARE) {
    throw new ModerationInputError(
      'BINARY_TEXT',
      `prompt has ${binary} control or undecodable characters in ${text.length}; it looks like binary data, not text`,
    );
  }
  return text;
}
