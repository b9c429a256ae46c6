const SCRIPTS: Array<[name: string, pattern: RegExp]> = [
  'Arabic', 'Armenian', 'Bengali', 'Cyrillic', 'Devanagari', 'Ethiopic', 'Georgian', 'Greek', 'Gujarati', 'Gurmukhi',
  'Han', 'Hangul', 'Hebrew', 'Hiragana', 'Kannada', 'Katakana', 'Khmer', 'Lao', 'Malayalam', 'Myanmar', 'Sinhala',
  'Tamil', 'Telugu', 'Thai', 'Tibetan',
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')]);

/** Share of letters outside Latin above which the local rules are not a meaningful check of the text. */
const UNREADABLE_SHARE = 0.2;
const MIN_UNREADABLE_LETTERS = 3;

/**
 * Names the scripts the English rule set cannot read, or [] when the text is
 * essentially Latin. A word that mixes Latin with look-alike letters
 * ("Кіll") is a disguise the normaliser undoes, so it counts as Latin; a
 * word written wholly in another script counts as that script, even if its
 * letters happen to look Latin: better a human reads it than the rules guess.
 */
export function unreadableScripts(original: string): string[] {
  let latin = 0;
  const other: string[] = [];
  for (const word of original.normalize('NFKC').split(/[^\p{L}\p{M}]+/u)) {
    const letters = [...word].filter((ch) => /\p{L}/u.test(ch));
    if (letters.length === 0) continue;
    if (letters.some((ch) => /\p{Script=Latin}/u.test(ch))) latin += letters.length;
    else other.push(...letters);
  }
  if (other.length < MIN_UNREADABLE_LETTERS || other.length / (latin + other.length) < UNREADABLE_SHARE) return [];
  const names = new Set(other.map((ch) => SCRIPTS.find(([, pattern]) => pattern.test(ch))?.[0] ?? 'other'));
  return [...names].sort();
}
