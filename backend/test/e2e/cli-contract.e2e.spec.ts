import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureFaceMedia, IDENTITIES } from '../../bench/corpora/face-corpus';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';
import { startStack, type Stack } from '../support/stack';

const ROOT = resolve(__dirname, '../../..');
// The file `npx --no-install provenant` resolves to and executes (through its shebang): the same real
// process without npx's 1.5 s of start-up per call, so the ~120 processes of the table fit in the budget.
// cli-exit-codes and cli-commands run the CLI through npx itself.
const BIN = join(ROOT, 'node_modules/.bin/provenant');
const UNREACHABLE = { PROVENANT_SERVER: 'http://127.0.0.1:9', PROVENANT_TOKEN: 'x' };
const BOXER = 'a boxer knocks out his opponent, blood spraying from his nose in slow motion';
const PAYLOAD = '0123456789abcdef';

type Who = 'admin' | 'creator' | 'reviewer' | 'senior' | 'person';

/** What beforeAll prepares: accounts, files and clips in the states the commands need to succeed. */
interface State {
  dir: string;
  baseUrl: string;
  /** A path in a directory that does not exist, named after the flag it is given to. */
  missing: (name: string) => string;
  clip: string;
  marked: string;
  released: string;
  keyFile: string;
  policyFile: string;
  exportFile: string;
  publicKeyFile: string;
  creatorId: string;
  toDisable: string;
  toEnable: string;
  revocableKey: string;
  /** A clip in AWAITING_REVIEW nobody holds a claim on. */
  claimable: string;
  /** A clip in AWAITING_REVIEW the reviewer holds the claim on. */
  claimed: string;
  /** A RELEASED clip of the creator's. */
  releasedClip: string;
  /** A BLOCKED prompt of the creator's, not appealed. */
  blocked: string;
  /** A BLOCKED prompt of the creator's with a pending appeal. */
  appealed: string;
  /** A photograph of one face (Grace Hopper, from the face corpus). */
  face: string;
  /** The consenting likeness subject of `person`, with no face template, named in a BLOCKED prompt of the creator's. */
  personSubject: string;
  /** An active grant of `personSubject` to the creator. */
  revocableGrant: string;
  /** A protected subject nobody needs. */
  toErase: string;
  /** The creator's prompt that named `person`. */
  namedClip: string;
}

interface Row {
  command: string;
  /** Whose access token the command runs with; absent for offline commands. */
  as?: Who;
  /** The arguments of a successful run (`--json` is added); the answer must match `answer`. */
  success: (s: State) => string[];
  answer: (s: State) => Record<string, unknown>;
  /** A usage error and what its one stderr line must name (the flag or argument). */
  usage: { args: (s: State) => string[]; names: string };
  /** One case per file argument or file flag: the arguments with `s.missing(…)` in its place; null: the command takes no file. */
  missingFile: Array<(s: State) => string[]> | null;
  /** Offline: needs no server at all; else the arguments that make it talk to the unreachable one (default: `success` with its env). */
  offline?: true;
  unreachable?: (s: State) => string[];
}

const TABLE: Row[] = [
  {
    command: 'users create',
    as: 'admin',
    success: () => ['users', 'create', '--new-email', `contract-${Date.now()}@provenant.test`, '--roles', 'publisher', '--new-password', 'password-for-contract'],
    answer: () => ({ id: expect.any(String), roles: ['publisher'] }),
    usage: { args: () => ['users', 'create', '--roles', 'publisher'], names: '--new-email' },
    missingFile: null,
  },
  {
    command: 'users disable',
    as: 'admin',
    success: (s) => ['users', 'disable', s.toDisable],
    answer: (s) => ({ id: s.toDisable, disabledAt: expect.any(String) }),
    usage: { args: () => ['users', 'disable'], names: "'id'" },
    missingFile: null,
  },
  {
    command: 'users enable',
    as: 'admin',
    success: (s) => ['users', 'enable', s.toEnable],
    answer: (s) => ({ id: s.toEnable, disabledAt: null }),
    usage: { args: () => ['users', 'enable'], names: "'id'" },
    missingFile: null,
  },
  {
    command: 'keys create',
    as: 'admin',
    success: (s) => ['keys', 'create', '--user', s.creatorId, '--name', 'contract'],
    answer: () => ({ id: expect.any(String), key: expect.stringMatching(/^pvk_/) }),
    usage: { args: () => ['keys', 'create', '--name', 'contract'], names: '--user' },
    missingFile: null,
  },
  {
    command: 'keys revoke',
    as: 'admin',
    success: (s) => ['keys', 'revoke', s.revocableKey],
    answer: (s) => ({ id: s.revocableKey, revoked: true }),
    usage: { args: () => ['keys', 'revoke'], names: "'id'" },
    missingFile: null,
  },
  {
    command: 'policy get',
    as: 'admin',
    success: () => ['policy', 'get'],
    answer: () => ({ version: expect.any(String), document: expect.any(Object) }),
    usage: { args: () => ['policy', 'get', '--version', 'x'], names: '--version' },
    missingFile: null,
  },
  {
    command: 'policy set',
    as: 'admin',
    success: (s) => ['policy', 'set', s.policyFile],
    answer: () => ({ version: expect.stringMatching(/-contract$/) }),
    usage: { args: () => ['policy', 'set'], names: "'file'" },
    missingFile: [(s) => ['policy', 'set', s.missing('policy.json')]],
  },
  {
    command: 'audit verify',
    as: 'admin',
    success: () => ['audit', 'verify'],
    answer: () => ({ ok: true }),
    usage: { args: () => ['audit', 'verify', '--since', '1'], names: '--since' },
    // The file flags belong to the offline mode (the next row); a missing key is refused before anything else.
    missingFile: [(s) => ['audit', 'verify', '--export', s.exportFile, '--public-key', s.missing('audit.pub.pem')]],
  },
  {
    command: 'audit verify --export',
    success: (s) => ['audit', 'verify', '--export', s.exportFile, '--public-key', s.publicKeyFile],
    answer: () => ({ ok: true, checkedEvents: expect.any(Number) }),
    usage: { args: (s) => ['audit', 'verify', '--export', s.exportFile], names: '--public-key' },
    missingFile: [(s) => ['audit', 'verify', '--export', s.missing('audit.jsonl'), '--public-key', s.publicKeyFile]],
    offline: true,
  },
  {
    command: 'clips submit',
    as: 'creator',
    success: () => ['clips', 'submit', 'a quiet harbour at dawn'],
    answer: () => ({ id: expect.any(String), state: expect.any(String) }),
    usage: { args: () => ['clips', 'submit'], names: "'prompt'" },
    missingFile: [(s) => ['clips', 'submit', 'a quiet harbour at dawn', '--reference-image', s.missing('reference.png')]],
  },
  {
    command: 'clips upload',
    as: 'creator',
    success: (s) => ['clips', 'upload', s.clip, '--prompt', 'a test card'],
    answer: () => ({ id: expect.any(String), state: expect.any(String) }),
    usage: { args: () => ['clips', 'upload'], names: "'file'" },
    missingFile: [(s) => ['clips', 'upload', s.missing('upload.mp4')]],
  },
  {
    command: 'clips list',
    as: 'creator',
    success: () => ['clips', 'list'],
    answer: (s) => ({ items: expect.arrayContaining([expect.objectContaining({ id: s.releasedClip })]) }),
    usage: { args: () => ['clips', 'list', '--limit', 'ten'], names: '--limit' },
    missingFile: null,
  },
  {
    command: 'clips get',
    as: 'creator',
    success: (s) => ['clips', 'get', s.releasedClip],
    answer: (s) => ({ id: s.releasedClip, state: 'RELEASED' }),
    usage: { args: () => ['clips', 'get'], names: "'id'" },
    missingFile: null,
  },
  {
    command: 'clips appeal',
    as: 'creator',
    success: (s) => ['clips', 'appeal', s.blocked, '--reason', 'a boxing match filmed for a sports documentary'],
    answer: (s) => ({ clipId: s.blocked, status: 'pending' }),
    usage: { args: (s) => ['clips', 'appeal', s.blocked], names: '--reason' },
    missingFile: null,
  },
  {
    command: 'clips watch',
    as: 'creator',
    success: (s) => ['clips', 'watch', s.releasedClip],
    answer: (s) => ({ id: s.releasedClip, state: 'RELEASED' }),
    usage: { args: () => ['clips', 'watch'], names: "'id'" },
    missingFile: null,
  },
  {
    command: 'clips download',
    as: 'creator',
    success: (s) => ['clips', 'download', s.releasedClip, '--out', join(s.dir, 'downloaded.mp4')],
    answer: (s) => ({ id: s.releasedClip, signed: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    usage: { args: () => ['clips', 'download', '--out', 'x.mp4'], names: "'id'" },
    missingFile: [(s) => ['clips', 'download', s.releasedClip, '--out', s.missing('download.mp4')]],
  },
  {
    command: 'review queue',
    as: 'reviewer',
    success: () => ['review', 'queue'],
    answer: (s) => ({ items: expect.arrayContaining([expect.objectContaining({ clipId: s.claimable })]) }),
    usage: { args: () => ['review', 'queue', '--limit', 'many'], names: '--limit' },
    missingFile: null,
  },
  {
    command: 'review claim',
    as: 'reviewer',
    success: (s) => ['review', 'claim', s.claimable],
    answer: (s) => ({ clipId: s.claimable, leaseExpiresAt: expect.any(String) }),
    usage: { args: () => ['review', 'claim', '--next'], names: '--next' },
    missingFile: null,
  },
  {
    command: 'review decide',
    as: 'reviewer',
    success: (s) => ['review', 'decide', s.claimed, '--approve', '--reason', 'APPROVE_POLICY_COMPLIANT'],
    answer: (s) => ({ clipId: s.claimed, decision: 'approve' }),
    usage: { args: (s) => ['review', 'decide', s.claimed, '--approve'], names: '--reason' },
    missingFile: null,
  },
  {
    command: 'review appeals',
    as: 'senior',
    success: () => ['review', 'appeals'],
    answer: (s) => ({ items: expect.arrayContaining([expect.objectContaining({ clipId: s.appealed })]) }),
    usage: { args: () => ['review', 'appeals', '--status', 'maybe'], names: '--status' },
    missingFile: null,
  },
  {
    command: 'review appeal',
    as: 'senior',
    success: (s) => ['review', 'appeal', s.appealed, '--deny', '--reason', 'DENY_BLOCK_CORRECT', '--note', 'the block was right'],
    answer: (s) => ({ clipId: s.appealed, status: 'denied' }),
    usage: { args: (s) => ['review', 'appeal', s.appealed, '--deny', '--reason', 'DENY_BLOCK_CORRECT'], names: '--note' },
    missingFile: null,
  },
  {
    command: 'likeness enroll',
    as: 'admin',
    success: (s) => ['likeness', 'enroll', '--kind', 'protected', '--name', 'Ada Quinlan', '--alias', 'A. Quinlan', '--image', s.face],
    answer: () => ({ id: expect.any(String), kind: 'protected', displayName: 'Ada Quinlan', aliases: ['A. Quinlan'], faceTemplates: 1 }),
    usage: { args: () => ['likeness', 'enroll', '--kind', 'protected'], names: '--name' },
    missingFile: [(s) => ['likeness', 'enroll', '--kind', 'protected', '--name', 'Never Created', '--image', s.missing('face.jpg')]],
  },
  {
    command: 'likeness add-image',
    as: 'person',
    success: (s) => ['likeness', 'add-image', s.personSubject, '--image', s.face],
    answer: (s) => ({ subjectId: s.personSubject, templates: 1 }),
    usage: { args: (s) => ['likeness', 'add-image', s.personSubject], names: '--image' },
    missingFile: [(s) => ['likeness', 'add-image', s.personSubject, '--image', s.missing('face.png')]],
  },
  {
    command: 'likeness subjects',
    as: 'reviewer',
    success: () => ['likeness', 'subjects'],
    answer: (s) => ({ items: expect.arrayContaining([expect.objectContaining({ id: s.personSubject, kind: 'consenting' })]) }),
    usage: { args: () => ['likeness', 'subjects', '--kind', 'protected'], names: '--kind' },
    missingFile: null,
  },
  {
    command: 'likeness show',
    as: 'reviewer',
    success: (s) => ['likeness', 'show', s.personSubject],
    answer: (s) => ({ id: s.personSubject, kind: 'consenting', grants: expect.any(Array) }),
    usage: { args: () => ['likeness', 'show', 'grace-hopper'], names: 'subject-id' },
    missingFile: null,
  },
  {
    command: 'likeness erase',
    as: 'admin',
    success: (s) => ['likeness', 'erase', s.toErase],
    answer: (s) => ({ id: s.toErase, erased: true }),
    usage: { args: () => ['likeness', 'erase'], names: "'subject-id'" },
    missingFile: null,
  },
  {
    command: 'likeness grant',
    as: 'person',
    success: (s) => ['likeness', 'grant', s.personSubject, '--everyone', '--until', '2099-01-31T12:00:00Z'],
    answer: (s) => ({ subjectId: s.personSubject, everyone: true, creatorId: null, until: expect.stringMatching(/^2099-01-31T12:00:00/), active: true }),
    usage: { args: (s) => ['likeness', 'grant', s.personSubject, '--everyone', '--until', 'next-tuesday'], names: '--until' },
    missingFile: null,
  },
  {
    command: 'likeness revoke',
    as: 'person',
    success: (s) => ['likeness', 'revoke', s.personSubject, s.revocableGrant],
    answer: (s) => ({ id: s.revocableGrant, subjectId: s.personSubject, revokedAt: expect.any(String), active: false }),
    usage: { args: (s) => ['likeness', 'revoke', s.personSubject], names: "'grant-id'" },
    missingFile: null,
  },
  {
    command: 'likeness me',
    as: 'person',
    success: () => ['likeness', 'me'],
    answer: (s) => ({ id: s.personSubject, kind: 'consenting', displayName: 'Grace Hopper' }),
    usage: { args: () => ['likeness', 'me', '--all'], names: '--all' },
    missingFile: null,
  },
  {
    command: 'likeness appearances',
    as: 'person',
    success: () => ['likeness', 'appearances'],
    answer: (s) => ({ items: expect.arrayContaining([expect.objectContaining({ clipId: s.namedClip, found: 'name', outcome: 'block', consent: 'no_grant' })]) }),
    usage: { args: () => ['likeness', 'appearances', '--limit', '5'], names: '--limit' },
    missingFile: null,
  },
  {
    command: 'verify',
    success: (s) => ['verify', s.released],
    answer: (s) => ({ c2pa: { state: expect.stringMatching(/^(Trusted|Valid)$/) }, origin: { clipId: s.releasedClip, recoveredBy: 'c2pa' }, release: { status: 'not_checked' } }),
    usage: { args: () => ['verify'], names: "'file'" },
    missingFile: [(s) => ['verify', s.missing('verify.mp4')], (s) => ['verify', s.released, '--trust-anchors', s.missing('anchors.pem')], (s) => ['verify', s.released, '--tsa-anchors', s.missing('tsa.pem')]],
    offline: true,
  },
  {
    command: 'verify --server',
    as: 'admin',
    success: (s) => ['verify', s.released, '--server', s.baseUrl],
    answer: (s) => ({ origin: { clipId: s.releasedClip }, release: { status: 'released' } }),
    usage: { args: (s) => ['verify', s.released, '--server'], names: '--server' },
    missingFile: [(s) => ['verify', s.missing('verify-online.mp4'), '--server', s.baseUrl]],
    unreachable: (s) => ['verify', s.released, '--server', UNREACHABLE.PROVENANT_SERVER],
  },
  {
    command: 'moderate',
    success: () => ['moderate', '--text', 'a lighthouse at dusk'],
    answer: () => ({ verdict: 'allow', input: 'text' }),
    usage: { args: () => ['moderate'], names: '--text, --image or --video' },
    missingFile: [(s) => ['moderate', '--image', s.missing('image.png')], (s) => ['moderate', '--video', s.missing('video.mp4')]],
    offline: true,
  },
  {
    command: 'watermark embed',
    success: (s) => ['watermark', 'embed', '--in', s.clip, '--out', join(s.dir, `embedded-${Date.now()}.mp4`), '--payload', PAYLOAD, '--key-file', s.keyFile],
    answer: () => ({ width: 320, height: 240, frames: expect.any(Number) }),
    usage: { args: (s) => ['watermark', 'embed', '--in', s.clip, '--payload', PAYLOAD, '--key-file', s.keyFile], names: '--out' },
    missingFile: [
      (s) => ['watermark', 'embed', '--in', s.missing('in.mp4'), '--out', join(s.dir, 'never.mp4'), '--payload', PAYLOAD, '--key-file', s.keyFile],
      (s) => ['watermark', 'embed', '--in', s.clip, '--out', s.missing('out.mp4'), '--payload', PAYLOAD, '--key-file', s.keyFile],
      (s) => ['watermark', 'embed', '--in', s.clip, '--out', join(s.dir, 'never.mp4'), '--payload', PAYLOAD, '--key-file', s.missing('key.hex')],
    ],
    offline: true,
  },
  {
    command: 'watermark detect',
    success: (s) => ['watermark', 'detect', '--in', s.marked, '--key-file', s.keyFile],
    answer: () => ({ found: true, payload: PAYLOAD, confidence: expect.any(Number) }),
    usage: { args: (s) => ['watermark', 'detect', '--key-file', s.keyFile], names: '--in' },
    missingFile: [(s) => ['watermark', 'detect', '--in', s.missing('detect.mp4'), '--key-file', s.keyFile], (s) => ['watermark', 'detect', '--in', s.marked, '--key-file', s.missing('detect.hex')]],
    offline: true,
  },
];

/**
 * The whole CLI contract as one table, every command a real process:
 * (a) success, exit 0, one JSON object on stdout and nothing on stderr;
 * (b) a usage error, exit 2, one stderr line naming the flag or argument;
 * (c) every file argument or flag given a missing path, exit 2, one line naming it
 *     (a command with none shows none in its --help);
 * (d) an unreachable server, exit 3, `provenant: cannot reach …`, or, for an
 *     offline command, success with no server configured at all.
 */
describe('provenant CLI contract: every command × success, usage error, missing file, server error', () => {
  let stack: Stack;
  let s: State;
  const tokens = {} as Record<Who, string>;

  // Asynchronous, so this process keeps serving its keep-alive connections to the api meanwhile.
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PROVENANT_'))) as Record<string, string>;
      const child = spawn(BIN, args, { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  // --json right after the command's words, so it can never be taken for the value of a flag the case leaves without one.
  const withJson = (row: Row, args: string[]) => {
    const words = row.command.replace(/ --.*$/, '').split(' ').length;
    return [...args.slice(0, words), '--json', ...args.slice(words)];
  };
  const envOf = (row: Row): Record<string, string> => (row.as ? { PROVENANT_SERVER: stack.baseUrl, PROVENANT_TOKEN: tokens[row.as] } : {});
  const oneJsonObject = (stdout: string) => {
    expect(stdout.endsWith('\n') && stdout.trimEnd().split('\n')).toHaveLength(1);
    const value: unknown = JSON.parse(stdout);
    expect(value !== null && typeof value === 'object' && !Array.isArray(value)).toBe(true);
    return value as Record<string, unknown>;
  };
  const oneLine = (stderr: string) => {
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  };

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'cli-contract-'));
    const admin = await stack.login();
    const [creator, reviewer, senior, toDisable, toEnable, person] = await Promise.all([
      stack.userWithRoles(['creator'], admin),
      stack.userWithRoles(['reviewer'], admin),
      stack.userWithRoles(['senior_reviewer'], admin),
      stack.userWithRoles(['publisher'], admin),
      stack.userWithRoles(['publisher'], admin),
      stack.userWithRoles(['publisher'], admin),
    ]);
    Object.assign(tokens, { admin, creator: creator.token, reviewer: reviewer.token, senior: senior.token, person: person.token });
    expect((await stack.call(`/api/v1/users/${toEnable.id}`, { method: 'PATCH', token: admin, body: { disabled: true } })).status).toBe(200);
    const key = await stack.call('/api/v1/api-keys', { token: admin, body: { userId: creator.id, name: 'to revoke' } });
    expect(key.status).toBe(201);

    const clip = join(dir, 'card.mp4');
    const ffmpeg = resolveFfmpegBinaries().ffmpeg;
    await runProcess(
      ffmpeg,
      ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
      { timeoutMs: 60_000 },
    );
    const upload = async () => {
      const form = new FormData();
      form.append('prompt', 'a test card');
      form.append('file', new Blob([await readFile(clip)], { type: 'video/mp4' }), 'card.mp4');
      const res = await stack.call('/api/v1/clips/upload', { token: creator.token, body: form });
      expect(res.status).toBe(202);
      return res.body.id as string;
    };
    const submitBlocked = async () => {
      const res = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: BOXER } });
      expect(res.status).toBe(202);
      return res.body.id as string;
    };
    const [claimable, claimed, releasedClip, blocked, appealed] = await Promise.all([upload(), upload(), upload(), submitBlocked(), submitBlocked()]);

    // The likeness registry: the person's own enrolment, named in a prompt of the creator's before any grant (so it is blocked),
    // then given a grant to revoke; a protected subject to erase; a photograph of one face.
    const face = join(ensureFaceMedia(), IDENTITIES.find((i) => i.id === 'hopper')!.file);
    const personSubject = await stack.call('/api/v1/likeness/subjects', { token: person.token, body: { kind: 'consenting', displayName: 'Grace Hopper' } });
    expect(personSubject.status).toBe(201);
    const toErase = await stack.call('/api/v1/likeness/subjects', { token: admin, body: { kind: 'protected', displayName: 'Erasable Person' } });
    expect(toErase.status).toBe(201);
    const named = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: 'Grace Hopper giving a lecture on compilers' } });
    expect(named.status).toBe(202);
    const namedClip = named.body.id as string;

    // While the worker runs the pipeline: the files of the offline commands.
    const keyFile = join(dir, 'watermark.hex');
    await writeFile(keyFile, `${'5a'.repeat(32)}\n`);
    const marked = join(dir, 'marked.mp4');
    const embedded = await run(['watermark', 'embed', '--in', clip, '--out', marked, '--payload', PAYLOAD, '--key-file', keyFile]);
    expect(embedded).toMatchObject({ code: 0, stderr: '' });
    const policy = await stack.call('/api/v1/moderation/policy', { token: admin });
    const policyFile = join(dir, 'policy.json');
    await writeFile(policyFile, JSON.stringify({ ...policy.body.document, version: `${policy.body.version}-contract` }));

    await Promise.all([blocked, appealed, namedClip].map((id) => stack.waitForState(id, creator.token, ['BLOCKED'], 90_000)));
    // Only now: a grant given before the prompt was checked would have allowed it.
    const grant = await stack.call(`/api/v1/likeness/subjects/${personSubject.body.id}/grants`, { token: person.token, body: { creatorId: creator.id } });
    expect(grant.status).toBe(201);
    expect((await stack.call(`/api/v1/clips/${appealed}/appeal`, { token: creator.token, body: { reason: 'a boxing match for a documentary' } })).status).toBe(201);
    await Promise.all([claimable, claimed, releasedClip].map((id) => stack.waitForState(id, creator.token, ['AWAITING_REVIEW'], 120_000)));
    for (const id of [releasedClip, claimed]) expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId: id } })).status).toBe(200);
    const approved = await stack.call(`/api/v1/review/${releasedClip}/decision`, { token: reviewer.token, body: { decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' } });
    expect(approved.body).toMatchObject({ final: true });
    await stack.waitForState(releasedClip, creator.token, ['RELEASED'], 120_000);
    const download = await fetch(`${stack.baseUrl}/api/v1/clips/${releasedClip}/download`, { headers: { authorization: `Bearer ${creator.token}` } });
    expect(download.status).toBe(200);
    const released = join(dir, 'released.mp4');
    await writeFile(released, Buffer.from(await download.arrayBuffer()));

    // Last, so the export holds the events of everything above.
    const exported = await fetch(`${stack.baseUrl}/api/v1/audit/export`, { headers: { authorization: `Bearer ${admin}` } });
    const exportFile = join(dir, 'audit.jsonl');
    await writeFile(exportFile, await exported.text());
    const publicKeyFile = join(dir, 'audit.pub.pem');
    await writeFile(publicKeyFile, (await stack.call('/api/v1/audit/public-key')).body);

    s = {
      dir,
      baseUrl: stack.baseUrl,
      missing: (name) => join(dir, 'no-such-directory', name),
      clip,
      marked,
      released,
      keyFile,
      policyFile,
      exportFile,
      publicKeyFile,
      creatorId: creator.id,
      toDisable: toDisable.id,
      toEnable: toEnable.id,
      revocableKey: key.body.id,
      claimable,
      claimed,
      releasedClip,
      blocked,
      appealed,
      face,
      personSubject: personSubject.body.id,
      revocableGrant: grant.body.id,
      toErase: toErase.body.id,
      namedClip,
    };
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    if (s) await rm(s.dir, { recursive: true, force: true });
  });

  it('the table has a row for every command the CLI has', async () => {
    const { buildProgram } = await import('../../src/cli/main');
    const leaves = (cmd: ReturnType<typeof buildProgram>, prefix: string[]): string[] =>
      cmd.commands.length ? cmd.commands.flatMap((c) => leaves(c, [...prefix, c.name()])) : [prefix.join(' ')];
    const rows = new Set(TABLE.map((r) => r.command.replace(/ --.*$/, '')));
    expect([...rows].sort()).toEqual(leaves(buildProgram(), []).sort());
  });

  it.each(TABLE)('$command: success is 0 with one JSON object on stdout and nothing on stderr', async (row) => {
    const r = await run(withJson(row, row.success(s)), row.offline ? UNREACHABLE : envOf(row)); // offline: a server set but never dialled
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(oneJsonObject(r.stdout)).toMatchObject(row.answer(s));
  });

  it.each(TABLE)('$command: a usage error is 2 with one stderr line naming the flag or argument', async (row) => {
    const r = await run(withJson(row, row.usage.args(s)), row.offline ? {} : envOf(row));
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^(error|provenant): /);
    expect(r.stderr).toContain(row.usage.names);
    oneLine(r.stderr);
  });

  const missingFiles = TABLE.flatMap((row) => (row.missingFile ?? []).map((args, i) => ({ command: row.command, n: i + 1, row, args })));
  it.each(missingFiles)('$command: a missing file (case $n) is 2 with one stderr line naming the path', async ({ row, args }) => {
    const given = args(s);
    const path = given.find((a) => a.startsWith(s.missing('')))!;
    const r = await run(withJson(row, given), envOf(row));
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^provenant: /);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/ENOENT|No such file or directory/);
    oneLine(r.stderr);
  });

  it.each(TABLE.filter((row) => row.missingFile === null))('$command takes no file: its --help shows no file argument or flag', async (row) => {
    const r = await run([...row.command.split(' '), '--help']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Usage: provenant /);
    expect(r.stdout).not.toMatch(/<(file|pem|dir)>|\bFILE\b/);
  });

  it.each(TABLE.filter((row) => !row.offline))('$command: an unreachable server is 3 with one stderr line `cannot reach …`', async (row) => {
    const r = await run(withJson(row, (row.unreachable ?? row.success)(s)), UNREACHABLE);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^provenant: cannot reach http:\/\/127\.0\.0\.1:9\b/);
    oneLine(r.stderr);
  });

  it.each(TABLE.filter((row) => row.offline))('$command is offline: it succeeds with no server configured at all', async (row) => {
    const r = await run(withJson(row, row.success(s)));
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(oneJsonObject(r.stdout)).toMatchObject(row.answer(s));
  });
});
