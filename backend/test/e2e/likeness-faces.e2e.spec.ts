import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipDto, ClipLikenessStageResult, LikenessAppearanceDto, LikenessSubjectDto } from '@provenant/shared';
import { ensureFaceMedia, IDENTITIES } from '../../bench/corpora/face-corpus';
import { makeClip, makePanClip, makeStillImage } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

const photo = (root: string, id: string) => join(root, IDENTITIES.find((i) => i.id === id)!.file);

/**
 * Faces in clips through the real api, worker, ffmpeg and face model: a
 * protected subject's face (panned, scaled, re-encoded) is blocked with the
 * face as evidence; a consenting subject's face passes for the creator they
 * granted and is stopped after the revocation; an unrelated face and a
 * faceless clip pass; enrolment refuses what is not one face.
 */
describe('the likeness check on faces', () => {
  let stack: Stack;
  let admin: string;
  let creator: User;
  let reviewer: User;
  let compliance: User;
  let person: User;
  let dir: string;
  let faces: string;
  let hopper: LikenessSubjectDto;
  let collins: LikenessSubjectDto;
  const clips: Record<string, string> = {};

  beforeAll(async () => {
    faces = ensureFaceMedia();
    dir = await mkdtemp(join(tmpdir(), 'likeness-faces-'));
    stack = await startStack({ workers: 1 });
    admin = await stack.login();
    creator = await stack.userWithRoles(['creator'], admin);
    reviewer = await stack.userWithRoles(['reviewer'], admin);
    compliance = await stack.userWithRoles(['compliance'], admin);
    person = await stack.userWithRoles(['publisher'], admin);
    clips.hopper = await makePanClip(dir, { name: 'hopper.mp4', photo: photo(faces, 'hopper'), seconds: 4, top: 120 });
    clips.hopper2 = await makePanClip(dir, { name: 'hopper-2.mp4', photo: photo(faces, 'hopper'), seconds: 5, top: 110, panPixels: 60 });
    clips.hopper3 = await makePanClip(dir, { name: 'hopper-3.mp4', photo: photo(faces, 'hopper'), seconds: 3, top: 130 });
    clips.collins = await makePanClip(dir, { name: 'collins.mp4', photo: photo(faces, 'collins'), seconds: 4, top: 40 });
    clips.collins2 = await makePanClip(dir, { name: 'collins-2.mp4', photo: photo(faces, 'collins'), seconds: 5, top: 50, panPixels: 40 });
    clips.messi = await makePanClip(dir, { name: 'messi.mp4', photo: photo(faces, 'messi'), seconds: 4, top: 40, panPixels: 60 });
    clips.faceless = await makeClip(dir, { seconds: 3, width: 640, height: 360, name: 'faceless.mp4' });
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  jest.setTimeout(300_000);

  const upload = async (file: string): Promise<ClipDto> => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), 'clip.mp4');
    const res = await stack.call('/api/v1/clips/upload', { token: creator.token, body: form });
    expect(res.status).toBe(202);
    await stack.waitForState(res.body.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 180_000);
    return (await stack.call(`/api/v1/clips/${res.body.id}`, { token: creator.token })).body;
  };
  const facesOf = (clip: ClipDto) => clip.stages.find((s) => s.stage === 'clip_likeness')!;
  const enrol = async (who: User, subject: string, file: string, name = 'face.jpg') => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), name);
    return stack.call(`/api/v1/likeness/subjects/${subject}/images`, { token: who.token, body: form });
  };

  it('with no face enrolled, analyses nothing and lets a clip with a face pass', async () => {
    const clip = await upload(clips.collins);
    expect({ state: clip.state, verdict: facesOf(clip).verdict }).toEqual({ state: 'AWAITING_REVIEW', verdict: 'allow' });
    expect(facesOf(clip).result).toMatchObject({ analysed: 'no_templates', framesAnalysed: 0, faces: [] });
    expect(clip.checks.likeness).toEqual({ status: 'ran', note: expect.stringContaining('a face narrower than 40 px there is not seen') });
  });

  it('enrols one face per image and refuses anything else, naming the problem', async () => {
    hopper = (await stack.call('/api/v1/likeness/subjects', { token: person.token, body: { kind: 'consenting', displayName: 'Grace Hopper' } })).body;
    collins = (await stack.call('/api/v1/likeness/subjects', { token: compliance.token, body: { kind: 'protected', displayName: 'Eileen Collins' } })).body;

    const cat = await enrol(person, hopper.id, join(faces, 'usr/lib/python3/dist-packages/skimage/data/chelsea.png'), 'cat.png');
    expect({ status: cat.status, message: cat.body.message }).toEqual({ status: 400, message: expect.stringMatching(/^file: no face found/) });
    const video = await enrol(person, hopper.id, clips.faceless, 'clip.mp4');
    expect({ status: video.status, message: video.body.message }).toEqual({ status: 400, message: 'file: not a JPEG or PNG image' });
    // A decompression bomb: a small PNG whose header declares 100,000 × 100,000 pixels.
    const small = await readFile(await makeStillImage(dir, { name: 'small.png', width: 8, height: 8, format: 'png' }));
    small.writeUInt32BE(100_000, 16);
    small.writeUInt32BE(100_000, 20);
    await writeFile(join(dir, 'bomb.png'), small);
    const bomb = await enrol(person, hopper.id, join(dir, 'bomb.png'), 'bomb.png');
    expect({ status: bomb.status, message: bomb.body.message }).toEqual({ status: 400, message: 'file: 100000x100000 is over the limit of 40000000 pixels' });
    expect((await enrol(creator, collins.id, photo(faces, 'collins'), 'collins.png')).status).toBe(404);
    expect((await enrol(reviewer, collins.id, photo(faces, 'collins'), 'collins.png')).status).toBe(403);

    const enrolled = await enrol(person, hopper.id, photo(faces, 'hopper'));
    expect({ status: enrolled.status, body: enrolled.body }).toEqual({ status: 201, body: { subjectId: hopper.id, faces: 1, templates: 1, modelVersion: 'human-3.3.6/faceres' } });
    expect((await enrol(person, hopper.id, photo(faces, 'hopper'))).status).toBe(409);
    expect((await enrol(compliance, collins.id, photo(faces, 'collins'), 'collins.png')).status).toBe(201);
    expect((await stack.call(`/api/v1/likeness/subjects/${hopper.id}`, { token: reviewer.token })).body.faceTemplates).toBe(1);

    const stored = await stack.db((db) => db.query(`SELECT sealed_embedding FROM likeness_templates`).then((r) => r.rows as Array<{ sealed_embedding: Buffer }>));
    expect(stored).toHaveLength(2);
    // Sealed: nonce, ciphertext of the float32 template, tag; no readable model name inside.
    for (const row of stored) expect(row.sealed_embedding.toString('latin1')).not.toContain('faceres');
    const events = await stack.db((db) => db.query(`SELECT body FROM audit_events WHERE action = 'likeness.template_enrolled' ORDER BY seq`).then((r) => r.rows.map((e) => e.body)));
    expect(events).toEqual([expect.objectContaining({ modelVersion: 'human-3.3.6/faceres', imageSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }), expect.anything()]);
  });

  it('blocks a clip showing a protected face, with the face as evidence the creator cannot trace to the registry', async () => {
    const clip = await upload(clips.collins2);
    expect({ state: clip.state, reason: clip.failureReason }).toEqual({ state: 'BLOCKED', reason: 'likeness: the clip shows a protected person, who is never generated' });
    const mine = facesOf(clip).result as ClipLikenessStageResult;
    expect(mine.faces).toEqual([expect.objectContaining({ subjectId: null, consent: 'protected', outcome: 'block', band: 'same' })]);
    const seen = facesOf((await stack.call(`/api/v1/clips/${clip.id}`, { token: reviewer.token })).body).result as ClipLikenessStageResult;
    const [face] = seen.faces;
    expect(face).toMatchObject({ subjectId: collins.id, displayName: 'Eileen Collins', modelVersion: 'human-3.3.6/faceres', matchThreshold: 0.43, differentThreshold: 0.53, frameWidth: 512, frameHeight: 288 });
    expect(face.distance).toBeLessThan(face.matchThreshold);
    expect(face.times.length).toBeGreaterThanOrEqual(3);
    expect(face.box.width).toBeGreaterThan(40);
    expect(seen).toMatchObject({ analysed: 'frames', framesAnalysed: expect.any(Number) });
  });

  it('a consenting face: blocked without a grant, passes with one, blocked again after the revocation, in a clip or a reference image; an unrelated face and a faceless clip pass', async () => {
    const before = await upload(clips.hopper);
    expect({ state: before.state, reason: before.failureReason }).toEqual({ state: 'BLOCKED', reason: 'likeness: the clip shows a person who has not allowed you to use their likeness' });
    const grant = (await stack.call(`/api/v1/likeness/subjects/${hopper.id}/grants`, { token: person.token, body: { creatorId: creator.id } })).body;
    const allowed = await upload(clips.hopper2);
    expect({ state: allowed.state, verdict: facesOf(allowed).verdict }).toEqual({ state: 'AWAITING_REVIEW', verdict: 'allow' });
    expect((facesOf(allowed).result as ClipLikenessStageResult).faces).toEqual([expect.objectContaining({ consent: 'granted', outcome: 'allow' })]);
    expect((await stack.call(`/api/v1/likeness/subjects/${hopper.id}/grants/${grant.id}`, { method: 'DELETE', token: person.token })).status).toBe(200);
    const after = await upload(clips.hopper3);
    expect(after.state).toBe('BLOCKED');

    // The same face as a prompt's reference image stops the prompt before generation.
    const referenced = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: 'a portrait in oils', referenceImageBase64: (await readFile(photo(faces, 'hopper'))).toString('base64') } });
    expect(referenced.status).toBe(202);
    const refClip: ClipDto = await stack.waitForState(referenced.body.id, admin, ['GENERATING', 'ANALYZING', 'AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 120_000);
    expect({ state: refClip.state, media: refClip.media, reason: refClip.failureReason }).toEqual({
      state: 'BLOCKED',
      media: null,
      reason: 'likeness: the reference image shows a person who has not allowed you to use their likeness',
    });
    expect(refClip.stages.find((s) => s.stage === 'prompt_likeness')!.result).toMatchObject({ referenceImage: 'checked', referenceFaces: [expect.objectContaining({ subjectId: hopper.id, consent: 'no_grant', band: 'same' })] });

    const stranger = await upload(clips.messi);
    expect({ state: stranger.state, verdict: facesOf(stranger).verdict, faces: (facesOf(stranger).result as ClipLikenessStageResult).faces }).toEqual({ state: 'AWAITING_REVIEW', verdict: 'allow', faces: [] });
    expect((facesOf(stranger).result as ClipLikenessStageResult).unknownFaces).toBeGreaterThanOrEqual(1);

    const faceless = await upload(clips.faceless);
    expect({ state: faceless.state, verdict: facesOf(faceless).verdict, result: facesOf(faceless).result }).toMatchObject({
      state: 'AWAITING_REVIEW',
      verdict: 'allow',
      result: { analysed: 'frames', faces: [], unknownFaces: 0 },
    });

    const feed: LikenessAppearanceDto[] = (await stack.call('/api/v1/likeness/me/appearances', { token: person.token })).body;
    expect(feed.map((a) => [a.clipId, a.found, a.outcome])).toEqual([
      [refClip.id, 'face', 'block'],
      [after.id, 'face', 'block'],
      [allowed.id, 'face', 'allow'],
      [before.id, 'face', 'block'],
    ]);
  });
});
