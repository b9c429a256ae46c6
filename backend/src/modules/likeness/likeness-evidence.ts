import type { LikenessStageResult } from '@provenant/shared';

/**
 * A likeness result as the reader of a clip may see it. Stored results hold
 * subject ids and offsets only; the names come from the registry (gone once
 * the subject is erased) and the matched text from the clip's prompt (gone
 * once it is erased). Staff see who matched; the clip's creator sees what in
 * their prompt was found and why, never which registry entry it was.
 */
export function presentLikeness(
  result: LikenessStageResult,
  reader: { staff: boolean; prompt: string | null; displayNames: ReadonlyMap<string, string> },
): LikenessStageResult {
  return {
    ...result,
    names: result.names.map((n) => {
      const text = reader.prompt?.slice(n.matched.start, n.matched.end);
      const matched = text === undefined ? { start: n.matched.start, end: n.matched.end } : { start: n.matched.start, end: n.matched.end, text };
      if (!reader.staff) return { consent: n.consent, outcome: n.outcome, via: n.via, matched, subjectId: null };
      const displayName = n.subjectId ? reader.displayNames.get(n.subjectId) : undefined;
      return { ...n, matched, ...(displayName ? { displayName } : {}) };
    }),
  };
}
