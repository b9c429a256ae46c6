import { freeTextProblem } from '../core/free-text';

/** Returns the cleaned prompt or throws with a message naming the problem. */
export function validatePrompt(raw: unknown, maxChars: number, field = 'prompt'): string {
  if (typeof raw !== 'string') throw new Error(`${field}: must be a string`);
  const prompt = raw.normalize('NFC').trim();
  if (!prompt) throw new Error(`${field}: must not be empty`);
  if ([...prompt].length > maxChars) throw new Error(`${field}: is longer than ${maxChars} characters`);
  const problem = freeTextProblem(prompt);
  if (problem) throw new Error(`${field}: ${problem}`);
  return prompt;
}
