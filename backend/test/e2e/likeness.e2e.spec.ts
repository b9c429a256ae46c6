import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipDto, LikenessAppearanceDto, LikenessStageResult, LikenessSubjectDto } from '@provenant/shared';
import { makeClip } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

// Past the prompt check: where a prompt's likeness verdict is known and final.
const PAST_PROMPT_CHECK = ['GENERATING', 'ANALYZING', 'AWAITING_REVIEW', 'BLOCKED', 'FAILED'];

/**
 * Names in prompts through the real api and worker: a protected subject's
 * name (disguised) stops the prompt before generation; a consenting
 * subject's name passes for the creator they granted and is stopped for
 * everyone else and after the revocation; an unregistered full name goes to
 * a human; an unrelated prompt passes. The creator never learns which
 * registry entry matched; the log never holds a name.
 */
describe('the likeness check on prompts', () => {
  let stack: Stack;
  let admin: string;
  let creator: User;
  let otherCreator: User;
  let reviewer: User;
  let compliance: User;
  let person: User;
  let dir: string;
  let quinlan: LikenessSubjectDto;
  let ashgrove: LikenessSubjectDto;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'likeness-e2e-'));
    stack = await startStack({ workers: 1 });
    admin = await stack.login();
    creator = await stack.userWithRoles(['creator'], admin);
    otherCreator = await stack.userWithRoles(['creator'], admin);
    reviewer = await stack.userWithRoles(['reviewer'], admin);
    compliance = await stack.userWithRoles(['compliance'], admin);
    person = await stack.userWithRoles(['publisher'], admin);
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  jest.setTimeout(240_000);

  const submit = async (who: User, prompt: string): Promise<ClipDto> => {
    const res = await stack.call('/api/v1/clips', { token: who.token, body: { prompt } });
    expect(res.status).toBe(202);
    await stack.waitForState(res.body.id, admin, PAST_PROMPT_CHECK, 120_000);
    return (await stack.call(`/api/v1/clips/${res.body.id}`, { token: who.token })).body;
  };
  const likenessOf = (clip: ClipDto) => clip.stages.find((s) => s.stage === 'prompt_likeness')!;
  const asReviewer = async (clip: ClipDto): Promise<ClipDto> => (await stack.call(`/api/v1/clips/${clip.id}`, { token: reviewer.token })).body;

  it('registers a protected subject and an enrolled person, refusing what could never match or is not theirs', async () => {
    const byCreator = await stack.call('/api/v1/likeness/subjects', { token: creator.token, body: { kind: 'protected', displayName: 'Ada Quinlan' } });
    expect({ status: byCreator.status, message: byCreator.body.message }).toEqual({ status: 403, message: expect.stringMatching(/^kind: only admin or compliance/) });
    const oneWord = await stack.call('/api/v1/likeness/subjects', { token: compliance.token, body: { kind: 'protected', displayName: 'Quinlan' } });
    expect({ status: oneWord.status, message: oneWord.body.message }).toEqual({ status: 400, message: expect.stringMatching(/^displayName: a one-word name is matched on its own only with "distinctive": true/) });
    const noKind = await stack.call('/api/v1/likeness/subjects', { token: compliance.token, body: { displayName: 'Ada Quinlan' } });
    expect({ status: noKind.status, message: noKind.body.message }).toEqual({ status: 400, message: expect.stringMatching(/^kind: /) });

    const created = await stack.call('/api/v1/likeness/subjects', { token: compliance.token, body: { kind: 'protected', displayName: 'Ada Quinlan', aliases: ['Countess Quinlan'] } });
    expect(created.status).toBe(201);
    quinlan = created.body;
    expect(quinlan).toMatchObject({ kind: 'protected', displayName: 'Ada Quinlan', aliases: ['Countess Quinlan'], userId: null, faceTemplates: 0, grants: [] });

    const enrolled = await stack.call('/api/v1/likeness/subjects', { token: person.token, body: { kind: 'consenting', displayName: 'Rowan Ashgrove' } });
    expect(enrolled.status).toBe(201);
    ashgrove = enrolled.body;
    expect(ashgrove).toMatchObject({ kind: 'consenting', userId: person.id });
    expect((await stack.call('/api/v1/likeness/subjects', { token: person.token, body: { kind: 'consenting', displayName: 'Rowan A. Ashgrove' } })).status).toBe(409);
    expect((await stack.call('/api/v1/likeness/me', { token: person.token })).body.id).toBe(ashgrove.id);
    expect((await stack.call('/api/v1/likeness/me', { token: creator.token })).status).toBe(404);
    // Someone else's enrolment is not confirmed to a creator; reviewers read the registry.
    expect((await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}`, { token: creator.token })).status).toBe(404);
    expect((await stack.call('/api/v1/likeness/subjects', { token: reviewer.token })).body.map((s: LikenessSubjectDto) => s.id)).toEqual([quinlan.id, ashgrove.id]);

    const audit = await stack.db((db) => db.query(`SELECT body, body::text LIKE '%Quinlan%' OR body::text LIKE '%Ashgrove%' AS named FROM audit_events WHERE action = 'likeness.subject_registered' ORDER BY seq`).then((r) => r.rows));
    expect(audit).toEqual([
      { body: { kind: 'protected', userId: null, namesSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, named: false },
      { body: { kind: 'consenting', userId: person.id, namesSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }, named: false },
    ]);
  });

  it('stops a prompt naming a protected subject, disguised, before generation; the creator is not told who', async () => {
    const clip = await submit(creator, "a garden party at ADA QU1NLAN's country house");
    expect({ state: clip.state, media: clip.media, reason: clip.failureReason }).toEqual({ state: 'BLOCKED', media: null, reason: 'likeness: the prompt names a protected person, who is never generated' });
    const mine = likenessOf(clip);
    expect(mine.verdict).toBe('block');
    expect((mine.result as LikenessStageResult).names).toEqual([{ subjectId: null, consent: 'protected', outcome: 'block', via: 'registry', matched: { start: 18, end: 31, text: "ADA QU1NLAN's" } }]);
    // Stopped before generation, the clip's own face check never runs; the note says what the check leaves out.
    expect(clip.checks.likeness).toEqual({ status: 'pending', note: expect.stringContaining('likeness: a WebP reference image is not checked for faces') });
    const seen = likenessOf(await asReviewer(clip)).result as LikenessStageResult;
    expect(seen.names).toEqual([expect.objectContaining({ subjectId: quinlan.id, displayName: 'Ada Quinlan', consent: 'protected' })]);
    expect(seen).toMatchObject({ policyVersion: 'likeness-default.1', referenceImage: 'none', registryVersion: expect.any(Number) });
  });

  it('a consenting subject: passes for the creator granted, not for another, and not after the revocation', async () => {
    const before = await submit(creator, 'Rowan Ashgrove reading a book by the window');
    expect({ state: before.state, reason: before.failureReason }).toEqual({ state: 'BLOCKED', reason: 'likeness: the prompt names a person who has not allowed you to use their likeness' });

    const notCreator = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants`, { token: person.token, body: { creatorId: reviewer.id } });
    expect({ status: notCreator.status, message: notCreator.body.message }).toEqual({ status: 400, message: `creatorId: ${reviewer.id} is not an enabled creator` });
    const both = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants`, { token: person.token, body: { creatorId: creator.id, everyone: true } });
    expect({ status: both.status, message: both.body.message }).toEqual({ status: 400, message: 'creatorId: give exactly one of creatorId or "everyone": true' });
    const past = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants`, { token: person.token, body: { creatorId: creator.id, until: '2020-01-01T00:00:00Z' } });
    expect({ status: past.status, message: past.body.message }).toEqual({ status: 400, message: 'until: must be in the future' });
    const notTheirs = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants`, { token: reviewer.token, body: { everyone: true } });
    expect({ status: notTheirs.status, message: notTheirs.body.message }).toEqual({ status: 403, message: `likeness subject ${ashgrove.id}: only the person enrolled may give grants` });

    const granted = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants`, { token: person.token, body: { creatorId: creator.id } });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ subjectId: ashgrove.id, creatorId: creator.id, everyone: false, until: null, revokedAt: null, active: true });

    const allowed = await submit(creator, 'Rowan Ashgrove reading a book by the window');
    expect(allowed.state).not.toBe('BLOCKED');
    expect(likenessOf(allowed).verdict).toBe('allow');
    expect((likenessOf(await asReviewer(allowed)).result as LikenessStageResult).names).toEqual([expect.objectContaining({ subjectId: ashgrove.id, consent: 'granted', outcome: 'allow', grantId: granted.body.id })]);
    const other = await submit(otherCreator, 'rowan ashgrove reading a book by the window');
    expect(other.state).toBe('BLOCKED');

    const revoked = await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants/${granted.body.id}`, { method: 'DELETE', token: person.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: granted.body.id, active: false, revokedAt: expect.any(String) });
    expect((await stack.call(`/api/v1/likeness/subjects/${ashgrove.id}/grants/${granted.body.id}`, { method: 'DELETE', token: person.token })).status).toBe(409);
    const after = await submit(creator, 'Rowan Ashgrove reading a book by the window');
    expect(after.state).toBe('BLOCKED');

    const feed: LikenessAppearanceDto[] = (await stack.call('/api/v1/likeness/me/appearances', { token: person.token })).body;
    expect(feed.map((a) => [a.clipId, a.outcome, a.consent])).toEqual([
      [after.id, 'block', 'no_grant'],
      [other.id, 'block', 'no_grant'],
      [allowed.id, 'allow', 'granted'],
      [before.id, 'block', 'no_grant'],
    ]);
    const events = await stack.db((db) => db.query(`SELECT action, body FROM audit_events WHERE subject_id = $1 AND action LIKE 'likeness.grant%' ORDER BY seq`, [ashgrove.id]).then((r) => r.rows));
    expect(events).toEqual([
      { action: 'likeness.grant_given', body: { grantId: granted.body.id, creatorId: creator.id, everyone: false, until: null } },
      { action: 'likeness.grant_revoked', body: { grantId: granted.body.id } },
    ]);
  });

  it('sends an unregistered full name to a human and lets an unrelated prompt and an upload pass', async () => {
    const named = await submit(creator, 'a portrait of Marcus Whitfield on a beach at sunset');
    expect({ state: named.state, flagged: named.flagged, verdict: likenessOf(named).verdict }).toEqual({ state: expect.not.stringMatching(/BLOCKED|FAILED/), flagged: true, verdict: 'review' });
    expect((likenessOf(named).result as LikenessStageResult).names).toEqual([{ subjectId: null, consent: 'unregistered', outcome: 'review', via: 'ner', matched: { start: 14, end: 30, text: 'Marcus Whitfield' } }]);

    const plain = await submit(creator, 'a paper boat on a puddle');
    expect({ verdict: likenessOf(plain).verdict, names: (likenessOf(plain).result as LikenessStageResult).names }).toEqual({ verdict: 'allow', names: [] });

    const file = await makeClip(dir, { seconds: 2, width: 320, height: 240, name: 'upload.mp4' });
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), 'upload.mp4');
    const uploaded = await stack.call('/api/v1/clips/upload', { token: creator.token, body: form });
    const upload: ClipDto = await stack.waitForState(uploaded.body.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 120_000);
    // An upload has no prompt: only its frames are checked, and with no face enrolled there is nothing to match.
    expect(upload.checks.likeness.status).toBe('ran');
    expect(upload.stages.find((s) => s.stage === 'clip_likeness')!.result).toMatchObject({ analysed: 'no_templates' });
  });

  it('erasing a subject removes its names and grants; the results that matched it no longer name it', async () => {
    const blocked = (await stack.call('/api/v1/clips?state=BLOCKED&limit=50', { token: reviewer.token })).body.items as Array<{ id: string }>;
    expect((await stack.call(`/api/v1/likeness/subjects/${quinlan.id}`, { method: 'DELETE', token: creator.token })).status).toBe(404);
    expect((await stack.call(`/api/v1/likeness/subjects/${quinlan.id}`, { method: 'DELETE', token: compliance.token })).status).toBe(204);
    expect((await stack.call(`/api/v1/users/${person.id}/personal-data`, { method: 'DELETE', token: admin })).status).toBe(200);
    expect((await stack.call('/api/v1/likeness/subjects', { token: reviewer.token })).body).toEqual([]);
    const left = await stack.db((db) =>
      Promise.all([
        db.query(`SELECT count(*)::int AS n FROM likeness_grants`).then((r) => r.rows[0].n),
        db.query(`SELECT action, body FROM audit_events WHERE action = 'likeness.subject_erased' ORDER BY seq`).then((r) => r.rows),
      ]),
    );
    expect(left).toEqual([
      0,
      [
        { action: 'likeness.subject_erased', body: { kind: 'protected', grantsErased: 0 } },
        { action: 'likeness.subject_erased', body: { kind: 'consenting', grantsErased: 1 } },
      ],
    ]);
    const names = (await Promise.all(blocked.map(async (c) => (await stack.call(`/api/v1/clips/${c.id}`, { token: reviewer.token })).body as ClipDto)))
      .flatMap((c) => (c.stages.find((s) => s.stage === 'prompt_likeness')?.result as LikenessStageResult | undefined)?.names ?? []);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n.displayName).toBeUndefined();
  });
});
