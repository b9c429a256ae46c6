import type { ClipLikenessStageResult, LikenessStageResult } from '@provenant/shared';

interface Reader {
  staff: boolean;
  prompt: string | null;
  displayNames: ReadonlyMap<string, string>;
}

/*
 * Likeness results as the reader of a clip may see them. Stored results hold
 * subject ids (and, for names, character offsets) only; the names come from
 * the registry (gone once the subject is erased) and the matched words from
 * the clip's prompt (gone once it is erased). Staff see who matched; the
 * clip's creator sees what was found and why, never which registry entry.
 */

function who<M extends { subjectId: string | null; displayName?: string }>(m: M, reader: Reader): M {
  if (!reader.staff) {
    const { displayName: _hidden, ...rest } = m;
    return { ...rest, subjectId: null } as M;
  }
  const displayName = m.subjectId ? reader.displayNames.get(m.subjectId) : undefined;
  return displayName ? { ...m, displayName } : m;
}

export function presentNames(result: LikenessStageResult, reader: Reader): LikenessStageResult {
  return {
    ...result,
    ...(result.referenceFaces ? { referenceFaces: result.referenceFaces.map((f) => who(f, reader)) } : {}),
    names: result.names.map((n) => {
      const text = reader.prompt?.slice(n.matched.start, n.matched.end);
      return who({ ...n, matched: text === undefined ? { start: n.matched.start, end: n.matched.end } : { start: n.matched.start, end: n.matched.end, text } }, reader);
    }),
  };
}

export function presentFaces(result: ClipLikenessStageResult, reader: Reader): ClipLikenessStageResult {
  return { ...result, faces: result.faces.map((f) => who(f, reader)) };
}
