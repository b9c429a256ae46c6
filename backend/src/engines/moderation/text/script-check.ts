const SCRIPTS: Array<[name: string, pattern: RegExp]> = [
  'Arabic', 'Armenian', 'Bengali', 'Cyrillic', 'Devanagari', 'Ethiopic', 'Georgian', 'Greek', 'Gujarati', 'Gurmukhi',
  'Han', 'Hangul', 'Hebrew', 'Hiragana', 'Kannada', 'Katakana', 'Khmer', 'Lao', 'Malayalam', 'Myanmar', 'Sinhala',
  'Tamil', 'Telugu', 'Thai', 'Tibetan',
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')]);

/** Share of letters outside Latin above which the local rules are not a meaningful check of the text. */
const UNREADABLE_SHARE = 0.2;
const MIN_UNREADABLE_LETTERS = 3;

/**
 * Names the scripts in (already homoglyph-folded) text that the English rule
 * set cannot read, or [] when the text is essentially Latin. Look-alike
 * letters used to dodge filters have been folded to Latin before this runs,
 * so what remains is genuinely another writing system.
 */
export function unreadableScripts(normalisedText: string): string[] {
  let latin = 0;
  const other: string[] = [];
  for (const ch of normalisedText) {
    if (!/\p{L}/u.test(ch)) continue;
    if (/\p{Script=Latin}/u.test(ch)) latin++;
    else other.push(ch);
  }
  if (other.length < MIN_UNREADABLE_LETTERS || other.length / (latin + other.length) < UNREADABLE_SHARE) return [];
  const names = new Set(other.map((ch) => SCRIPTS.find(([, pattern]) => pattern.test(ch))?.[0] ?? 'other'));
  return [...names].sort();
}
