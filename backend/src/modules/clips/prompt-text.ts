/** Control characters other than tab and newline have no place in a prompt and hide evasions. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Returns the cleaned prompt or throws with a message naming the problem. */
export function validatePrompt(raw: unknown, maxChars: number, field = 'prompt'): string {
  if (typeof raw !== 'string') throw new Error(`${field}: must be a string`);
  const prompt = raw.normalize('NFC').trim();
  if (!prompt) throw new Error(`${field}: must not be empty`);
  if ([...prompt].length > maxChars) throw new Error(`${field}: is longer than ${maxChars} characters`);
  if (CONTROL.test(prompt)) throw new Error(`${field}: contains control characters`);
  if (prompt.includes('\ufffd')) throw new Error(`${field}: is not valid UTF-8 text`);
  return prompt;
}
