import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { runCli } from '../main';

const SUBJECT = '5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e';
const CREATOR = '7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f';
const GRANT = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const NO_FACE = 'file: no face found (a face must be at least 80 pixels wide and turned towards the camera)';

const subject = (over: Record<string, unknown> = {}) => ({
  id: SUBJECT,
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
const grant = (over: Record<string, unknown> = {}) => ({
  id: GRANT,
  subjectId: SUBJECT,
  creatorId: CREATOR,
  everyone: false,
  until: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  revokedAt: null,
  active: true,
  ...over,
});
const refused = (message: string) => ({ status: 400, json: { statusCode: 400, error: 'Bad Request', message } });

describe('provenant likeness', () => {
  let dir: string;
  let server: FakeHttpServer;
  let face: string;
  let cat: string;
  let notes: string;
  /** Answers of the image route, in order; then 201s counting templates. */
  let imageAnswers: Array<ReturnType<typeof refused> | null>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-likeness-'));
    face = join(dir, 'face.jpg');
    cat = join(dir, 'cat.png');
    notes = join(dir, 'notes.txt');
    await writeFile(face, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    await writeFile(cat, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await writeFile(notes, 'not an image');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    server = await FakeHttpServer.start();
    imageAnswers = [];
    let templates = 0;
    server.route('POST', /^\/api\/v1\/likeness\/subjects$/, (req) => ({ status: 201, json: subject(JSON.parse(req.body.toString())) }));
    server.route('POST', /^\/api\/v1\/likeness\/subjects\/[^/]+\/images$/, () => imageAnswers.shift() ?? { status: 201, json: { subjectId: SUBJECT, faces: 1, templates: ++templates, modelVersion: 'human-3.3.6/faceres' } });
    server.route('POST', /^\/api\/v1\/likeness\/subjects\/[^/]+\/grants$/, (req) => ({ status: 201, json: grant(JSON.parse(req.body.toString())) }));
    server.route('GET', /^\/api\/v1\/likeness\/subjects$/, () => ({ json: [subject(), subject({ id: CREATOR, kind: 'consenting', displayName: 'Grace Hopper', userId: GRANT, grants: [grant(), grant({ active: false, revokedAt: '2026-12-05T00:00:00.000Z' })] })] }));
  });
  afterEach(() => server.close());

  const cli = async (...args: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (stdout.push(c.toString()), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (stderr.push(c.toString()), true));
    try {
      const code = await runCli(['--server', server.url, '--token', 't', ...args]);
      return { code, stdout: stdout.join(''), stderr: stderr.join('') };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  };
  const sent = () => server.requests.map((r) => `${r.method} ${r.path}`);

  it('enroll creates the subject with its names, then enrols each image, and prints the id and template count', async () => {
    const r = await cli('likeness', 'enroll', '--kind', 'protected', '--name', 'Ada Quinlan', '--alias', 'A. Quinlan', '--alias', 'Quinlan', '--distinctive', '--image', face, '--image', cat);
    expect(r).toEqual({ code: 0, stdout: `${SUBJECT} protected "Ada Quinlan": 2 face templates\n`, stderr: '' });
    expect(JSON.parse(server.requests[0].body.toString())).toEqual({ kind: 'protected', displayName: 'Ada Quinlan', aliases: ['A. Quinlan', 'Quinlan'], distinctive: true });
    expect(sent()).toEqual(['POST /api/v1/likeness/subjects', `POST /api/v1/likeness/subjects/${SUBJECT}/images`, `POST /api/v1/likeness/subjects/${SUBJECT}/images`]);
    expect(server.requests[1].body.toString('latin1')).toContain('name="file"; filename="face.jpg"');
  });

  it('enroll refuses a missing file or a non-image before anything is created', async () => {
    const missing = join(dir, 'nope.jpg');
    expect(await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--image', face, '--image', missing)).toEqual({ code: 2, stdout: '', stderr: `provenant: cannot read ${missing}: ENOENT\n` });
    expect(await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--image', notes)).toEqual({ code: 2, stdout: '', stderr: `provenant: --image ${notes}: not a JPEG or PNG image\n` });
    expect(await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--kind', 'famous')).toMatchObject({ code: 2, stderr: 'provenant: --kind: must be one of consenting, protected, not famous\n' });
    expect(server.requests).toEqual([]);
  });

  it('enroll: an image the server refuses is named by its flag, and the kept subject is said plainly', async () => {
    imageAnswers = [null, refused(NO_FACE)];
    const r = await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--image', face, '--image', cat);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      `provenant: server answered 400: --image ${cat}: no face found (a face must be at least 80 pixels wide and turned towards the camera); ` +
        `subject ${SUBJECT} was created and kept with 1 face template (add images with \`likeness add-image ${SUBJECT}\`, or erase it)\n`,
    );
    imageAnswers = [refused(NO_FACE)];
    expect((await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--image', cat)).stderr).toContain(`; subject ${SUBJECT} was created and kept with 0 face templates`);
  });

  it('enroll: a name the server refuses is named by its flag', async () => {
    server.route('POST', /^\/api\/v1\/likeness\/subjects$/, () => refused('aliases.1: a one-word name is matched on its own only with "distinctive": true'));
    expect(await cli('likeness', 'enroll', '--name', 'Ada Quinlan', '--alias', 'A. Quinlan', '--alias', 'Quinlan')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'provenant: server answered 400: --alias: a one-word name is matched on its own only with "distinctive": true\n',
    });
  });

  it('add-image enrols each image; a refusal names the image and what was enrolled before it', async () => {
    const ok = await cli('likeness', 'add-image', SUBJECT, '--image', face, '--json');
    expect(JSON.parse(ok.stdout)).toEqual({ subjectId: SUBJECT, templates: 1, modelVersion: 'human-3.3.6/faceres', images: [{ file: face, faces: 1, templates: 1 }] });
    imageAnswers = [refused(NO_FACE)];
    expect((await cli('likeness', 'add-image', SUBJECT, '--image', cat)).stderr).toBe(`provenant: server answered 400: --image ${cat}: no face found (a face must be at least 80 pixels wide and turned towards the camera)\n`);
    imageAnswers = [null, { status: 409, json: { statusCode: 409, error: 'Conflict', message: 'file: this image is already enrolled for this subject' } }];
    const partial = await cli('likeness', 'add-image', SUBJECT, '--image', face, '--image', face);
    expect(partial).toEqual({ code: 2, stdout: '', stderr: `provenant: server answered 409: --image ${face}: this image is already enrolled for this subject; 1 image enrolled before it, subject ${SUBJECT} has 2 face templates\n` });
    expect((await cli('likeness', 'add-image', 'hopper', '--image', face)).stderr).toBe('provenant: subject-id: not an id (UUID): hopper\n');
  });

  it('grant sends exactly one of creatorId or everyone, with until, after checking them locally', async () => {
    const r = await cli('likeness', 'grant', SUBJECT, '--creator', CREATOR, '--until', '2027-01-31T12:00:00Z');
    expect(r).toEqual({ code: 0, stdout: `grant ${GRANT}  creator ${CREATOR} until 2027-01-31T12:00:00Z  active\n`, stderr: '' });
    expect(JSON.parse(server.requests[0].body.toString())).toEqual({ creatorId: CREATOR, until: '2027-01-31T12:00:00Z' });
    expect((await cli('likeness', 'grant', SUBJECT, '--everyone', '--json')).stdout).toContain('"everyone":true');
    expect(JSON.parse(server.requests[1].body.toString())).toEqual({ everyone: true });
    const usage = async (...args: string[]) => (await cli('likeness', 'grant', SUBJECT, ...args)).stderr;
    expect(await usage()).toBe('provenant: give exactly one of --creator or --everyone\n');
    expect(await usage('--everyone', '--creator', CREATOR)).toBe('provenant: give exactly one of --creator or --everyone\n');
    expect(await usage('--creator', 'bob')).toBe('provenant: --creator: not an id (UUID): bob\n');
    expect(await usage('--everyone', '--until', '31/01/2027')).toMatch(/^provenant: --until: must be an ISO 8601 time/);
    expect(server.requests).toHaveLength(2);
    server.route('POST', /^\/api\/v1\/likeness\/subjects\/[^/]+\/grants$/, () => refused('until: must be in the future'));
    expect(await cli('likeness', 'grant', SUBJECT, '--everyone', '--until', '2001-01-01')).toMatchObject({ code: 2, stderr: 'provenant: server answered 400: --until: must be in the future\n' });
  });

  it('subjects prints one line per subject; --json one object', async () => {
    const r = await cli('likeness', 'subjects');
    expect(r.stdout).toBe(`${SUBJECT}  protected  "Ada Quinlan"  0 face templates\n${CREATOR}  consenting  "Grace Hopper"  0 face templates  1/2 grants active\n`);
    expect(JSON.parse((await cli('likeness', 'subjects', '--json')).stdout).items).toHaveLength(2);
  });
});
