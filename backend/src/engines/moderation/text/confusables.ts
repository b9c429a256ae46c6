import unhomoglyph from 'unhomoglyph';

/**
 * Letters unhomoglyph (Unicode's confusables skeleton) leaves as look-alikes
 * that are not ASCII: small capitals, some Cyrillic/Greek forms and the
 * enclosed/regional-indicator alphabets people use to dodge filters.
 */
const SUPPLEMENT: Record<string, string> = {
  ĸ: 'k', ʍ: 'm', ʟ: 'l', ꞓ: 'e', ᴛ: 't', ß: 'ss', ɴ: 'n', ʀ: 'r', ʜ: 'h', ʏ: 'y', ɢ: 'g', ʙ: 'b',
  ᴀ: 'a', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ᴊ: 'j', ᴋ: 'k', ᴍ: 'm', ᴏ: 'o', ᴘ: 'p', ǫ: 'q', ꜱ: 's',
  ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ᴢ: 'z', ᴎ: 'n', ᴙ: 'r', ƅ: 'b',
  т: 't', в: 'b', н: 'h', м: 'm', к: 'k', п: 'n', л: 'l', г: 'r', ц: 'u', ь: 'b', д: 'd',
  τ: 't', κ: 'k', ι: 'i', ε: 'e', ρ: 'p', χ: 'x', υ: 'u', ω: 'w', β: 'b', μ: 'u',
};

const ENCLOSED_ALPHABETS: Array<[first: number, last: number]> = [
  [0x1f130, 0x1f149], // squared A-Z
  [0x1f150, 0x1f169], // negative circled A-Z
  [0x1f170, 0x1f189], // negative squared A-Z
  [0x1f1e6, 0x1f1ff], // regional indicators A-Z
];

/**
 * Maps one code point to the ASCII letters it is meant to look like, or
 * returns it unchanged (lower-cased) when it is not a confusable. ASCII input
 * is never remapped: unhomoglyph would turn "m" into "rn".
 */
export function foldConfusable(codePoint: string): string {
  const cp = codePoint.codePointAt(0)!;
  if (cp < 0x80) return codePoint.toLowerCase();
  for (const [first, last] of ENCLOSED_ALPHABETS) {
    if (cp >= first && cp <= last) return String.fromCharCode(0x61 + cp - first);
  }
  const lower = codePoint.toLowerCase();
  if (SUPPLEMENT[lower]) return SUPPLEMENT[lower];
  const skeleton = unhomoglyph(codePoint);
  const folded = skeleton === codePoint ? lower : skeleton.toLowerCase();
  return [...folded].map((c) => SUPPLEMENT[c] ?? c).join('');
}
