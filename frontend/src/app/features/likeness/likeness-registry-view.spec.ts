import type { LikenessGrantDto, LikenessSubjectDto } from '@provenant/shared';
import { faceFileProblem, grantRows, grantStatus, parseAliases, registryActions, registryRows, subjectDraftProblem, subjectRequest, templateText } from './likeness-registry-view';

const grant = (over: Partial<LikenessGrantDto> = {}): LikenessGrantDto => ({
  id: 'g1',
  subjectId: 's1',
  creatorId: '7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f',
  everyone: false,
  until: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  revokedAt: null,
  active: true,
  ...over,
});
const subject = (over: Partial<LikenessSubjectDto> = {}): LikenessSubjectDto => ({
  id: 's1',
  kind: 'protected',
  displayName: 'Ada Quinlan',
  aliases: [],
  distinctive: false,
  userId: null,
  faceTemplates: 0,
  grants: [],
  createdAt: '2026-12-04T10:00:00.000Z',
  ...over,
});

describe('grant status', () => {
  it('says active (until when), revoked (when) or ended', () => {
    expect(grantStatus(grant())).toBe('active, no end date');
    expect(grantStatus(grant({ until: '2027-01-31T23:59:59.999Z' }))).toBe('active until 2027-01-31 23:59 UTC');
    expect(grantStatus(grant({ active: false, revokedAt: '2026-12-05T08:30:00.000Z' }))).toBe('revoked 2026-12-05 08:30 UTC');
    expect(grantStatus(grant({ active: false, until: '2026-12-04T12:00:00.000Z' }))).toBe('ended 2026-12-04 12:00 UTC');
  });

  it('names who is allowed, and the state for styling', () => {
    expect(grantRows([grant({ everyone: true, creatorId: null }), grant({ id: 'g2', active: false, revokedAt: '2026-12-05T08:30:00.000Z' }), grant({ id: 'g3', active: false })])).toEqual([
      { id: 'g1', who: 'everyone', status: 'active, no end date', state: 'active', given: '2026-12-04 10:00 UTC' },
      { id: 'g2', who: 'creator 7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f', status: 'revoked 2026-12-05 08:30 UTC', state: 'revoked', given: '2026-12-04 10:00 UTC' },
      { id: 'g3', who: 'creator 7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f', status: 'ended', state: 'ended', given: '2026-12-04 10:00 UTC' },
    ]);
  });
});

describe('registry actions and rows', () => {
  it('lets admin and compliance enter, add faces and erase; reviewers only read', () => {
    expect(registryActions(['compliance'])).toEqual({ canEnter: true, canAddFace: true, canErase: true });
    expect(registryActions(['admin'])).toEqual({ canEnter: true, canAddFace: true, canErase: true });
    expect(registryActions(['reviewer'])).toEqual({ canEnter: false, canAddFace: false, canErase: false });
    expect(registryActions(['senior_reviewer', 'creator'])).toEqual({ canEnter: false, canAddFace: false, canErase: false });
  });

  it('lists protected subjects first, by name, and offers a face upload only on protected ones (a consenting person adds their own)', () => {
    const keeper = registryActions(['compliance']);
    const rows = registryRows(
      [
        subject({ id: 'c', kind: 'consenting', displayName: 'Bea Ortiz', userId: 'u1', faceTemplates: 2, grants: [grant()] }),
        subject({ id: 'p2', displayName: 'Zed Quill', aliases: ['Z. Quill', 'Zeddy'], distinctive: true, faceTemplates: 1 }),
        subject({ id: 'p1' }),
      ],
      keeper,
    );
    expect(rows.map((r) => [r.id, r.canAddFace, r.canErase])).toEqual([
      ['p1', true, true],
      ['p2', true, true],
      ['c', false, true],
    ]);
    expect(rows[1]).toMatchObject({ kindText: 'protected: never generated', aliases: 'Z. Quill, Zeddy', distinctive: true, templatesText: '1 face template', account: null, grants: [] });
    expect(rows[2]).toMatchObject({ kindText: 'consenting: decides who may use it', aliases: '—', templatesText: '2 face templates', account: 'u1', grants: [{ state: 'active', status: 'active, no end date' }] });
    expect(registryRows([subject()], registryActions(['reviewer']))[0]).toMatchObject({ canAddFace: false, canErase: false });
  });

  it('counts templates in words', () => {
    expect([0, 1, 3].map(templateText)).toEqual(['no face template', '1 face template', '3 face templates']);
  });
});

describe('the names form', () => {
  it('reads aliases separated by commas or lines, trimmed, each once', () => {
    expect(parseAliases(' A. Quinlan,  Ada   Q \n\n a. quinlan ,')).toEqual(['A. Quinlan', 'Ada Q']);
    expect(parseAliases('')).toEqual([]);
  });

  it('holds names to the server’s bounds and leaves the rest to the server', () => {
    expect(subjectDraftProblem({ displayName: ' A ', aliases: '', distinctive: false })).toBe('Write a display name of at least 2 characters.');
    expect(subjectDraftProblem({ displayName: 'x'.repeat(121), aliases: '', distinctive: false })).toBe('The display name must be at most 120 characters (121).');
    expect(subjectDraftProblem({ displayName: 'Ada Quinlan', aliases: Array.from({ length: 21 }, (_, i) => `alias ${i}`).join(','), distinctive: false })).toBe('At most 20 aliases (21).');
    expect(subjectDraftProblem({ displayName: 'Ada Quinlan', aliases: 'Q', distinctive: false })).toBe('Each alias must be 2–120 characters (“Q”).');
    // A one-word name without "distinctive" is the server's to refuse, with its own message.
    expect(subjectDraftProblem({ displayName: 'Quinlan', aliases: '', distinctive: false })).toBeNull();
  });

  it('sends only what was given', () => {
    expect(subjectRequest('protected', { displayName: '  Ada   Quinlan ', aliases: '', distinctive: false })).toEqual({ kind: 'protected', displayName: 'Ada Quinlan' });
    expect(subjectRequest('consenting', { displayName: 'Bea Ortiz', aliases: 'Bea, B. Ortiz', distinctive: true })).toEqual({ kind: 'consenting', displayName: 'Bea Ortiz', aliases: ['Bea', 'B. Ortiz'], distinctive: true });
  });

  it('takes a JPEG or PNG face photo (the server finds the face)', () => {
    expect(faceFileProblem(null)).toBe('Choose a JPEG or PNG photo of one face.');
    expect(faceFileProblem({ type: 'image/gif', size: 10 })).toBe('The photo must be a JPEG or PNG (this one is image/gif).');
    expect(faceFileProblem({ type: 'image/png', size: 0 })).toBe('The file is empty.');
    expect(faceFileProblem({ type: 'image/jpeg', size: 10 })).toBeNull();
    // No type reported (some systems): the server decides.
    expect(faceFileProblem({ type: '', size: 10 })).toBeNull();
  });
});
