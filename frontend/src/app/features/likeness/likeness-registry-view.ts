import { LIKENESS_NAME_LIMITS, type CreateLikenessSubjectRequest, type LikenessGrantDto, type LikenessSubjectDto, type LikenessSubjectKind, type Role } from '@provenant/shared';
import { mayUse } from '../../core/access';

/** A time as the console writes it in lists: "2026-12-04 10:00 UTC" (the same for every reader, whatever their clock's zone). */
export const shortTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** Who a grant allows. */
export const grantWho = (grant: Pick<LikenessGrantDto, 'everyone' | 'creatorId'>): string => (grant.everyone ? 'everyone' : `creator ${grant.creatorId}`);

/** A grant's state in words: active (until when), revoked (when), or ended (its `until` has passed). */
export function grantStatus(grant: Pick<LikenessGrantDto, 'active' | 'revokedAt' | 'until'>): string {
  if (grant.revokedAt) return `revoked ${shortTime(grant.revokedAt)}`;
  if (grant.active) return grant.until ? `active until ${shortTime(grant.until)}` : 'active, no end date';
  return `ended ${grant.until ? shortTime(grant.until) : ''}`.trim();
}

export interface GrantRow {
  id: string;
  who: string;
  status: string;
  /** For styling and tests: active, revoked or ended. */
  state: 'active' | 'revoked' | 'ended';
  given: string;
}

export const grantRows = (grants: readonly LikenessGrantDto[]): GrantRow[] =>
  grants.map((g) => ({ id: g.id, who: grantWho(g), status: grantStatus(g), state: g.revokedAt ? 'revoked' : g.active ? 'active' : 'ended', given: shortTime(g.createdAt) }));

const KIND_TEXT: Record<LikenessSubjectKind, string> = {
  protected: 'protected: never generated',
  consenting: 'consenting: decides who may use it',
};

/** "1 face template", "no face template". */
export const templateText = (count: number): string => (count === 0 ? 'no face template' : `${count} face template${count === 1 ? '' : 's'}`);

/** What a role may do on the registry page (the API's role checks, said before the user tries). */
export interface RegistryActions {
  /** Enter a protected subject (admin, compliance). */
  canEnter: boolean;
  /** Add a face image to a protected subject (admin, compliance; a consenting subject adds their own, on My likeness). */
  canAddFace: boolean;
  /** Erase any subject (admin, compliance). */
  canErase: boolean;
}

export function registryActions(roles: readonly Role[]): RegistryActions {
  const keeper = mayUse(roles, 'keepRegistry');
  return { canEnter: keeper, canAddFace: keeper, canErase: keeper };
}

export interface RegistryRow {
  id: string;
  kind: LikenessSubjectKind;
  kindText: string;
  displayName: string;
  aliases: string;
  distinctive: boolean;
  templates: number;
  templatesText: string;
  /** Consenting subjects only: who enrolled (their account). */
  account: string | null;
  grants: GrantRow[];
  entered: string;
  canAddFace: boolean;
  canErase: boolean;
}

/** The registry table: one row per subject, protected first, then by name. */
export function registryRows(subjects: readonly LikenessSubjectDto[], actions: RegistryActions): RegistryRow[] {
  return [...subjects]
    .sort((a, b) => (a.kind === b.kind ? a.displayName.localeCompare(b.displayName) : a.kind === 'protected' ? -1 : 1))
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      kindText: KIND_TEXT[s.kind],
      displayName: s.displayName,
      aliases: s.aliases.length ? s.aliases.join(', ') : '—',
      distinctive: s.distinctive,
      templates: s.faceTemplates,
      templatesText: templateText(s.faceTemplates),
      account: s.userId,
      grants: grantRows(s.grants),
      entered: shortTime(s.createdAt),
      canAddFace: actions.canAddFace && s.kind === 'protected',
      canErase: actions.canErase,
    }));
}

/** The names form: a display name, aliases (comma or one per line) and the distinctive mark. */
export interface SubjectDraft {
  displayName: string;
  aliases: string;
  distinctive: boolean;
}
export const EMPTY_SUBJECT_DRAFT: SubjectDraft = { displayName: '', aliases: '', distinctive: false };

/** Aliases typed as "A. Quinlan, Ada Q" or one per line: trimmed, empty ones dropped, duplicates once. */
export function parseAliases(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[,\n]/)
    .map((a) => a.trim().replace(/\s+/g, ' '))
    .filter((a) => a && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

/** What is wrong with the names before sending (the server's bounds), or null; anything subtler the server says itself. */
export function subjectDraftProblem(draft: SubjectDraft): string | null {
  const { minLength, maxLength, maxAliases } = LIKENESS_NAME_LIMITS;
  const name = draft.displayName.trim();
  if (name.length < minLength) return `Write a display name of at least ${minLength} characters.`;
  if (name.length > maxLength) return `The display name must be at most ${maxLength} characters (${name.length}).`;
  const aliases = parseAliases(draft.aliases);
  if (aliases.length > maxAliases) return `At most ${maxAliases} aliases (${aliases.length}).`;
  const bad = aliases.find((a) => a.length < minLength || a.length > maxLength);
  if (bad) return `Each alias must be ${minLength}–${maxLength} characters (“${bad.length > 20 ? `${bad.slice(0, 20)}…` : bad}”).`;
  return null;
}

export function subjectRequest(kind: LikenessSubjectKind, draft: SubjectDraft): CreateLikenessSubjectRequest {
  const aliases = parseAliases(draft.aliases);
  return { kind, displayName: draft.displayName.trim().replace(/\s+/g, ' '), ...(aliases.length ? { aliases } : {}), ...(draft.distinctive ? { distinctive: true } : {}) };
}

/** A face image picked in a file input: what is wrong with it before uploading, or null (the server finds the face). */
export function faceFileProblem(file: Pick<File, 'type' | 'size'> | null): string | null {
  if (!file) return 'Choose a JPEG or PNG photo of one face.';
  if (file.type && !['image/jpeg', 'image/png'].includes(file.type)) return `The photo must be a JPEG or PNG (this one is ${file.type}).`;
  if (file.size === 0) return 'The file is empty.';
  return null;
}
