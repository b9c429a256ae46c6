import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ClipDto, ModerationStageResult } from '@provenant/shared';
import { ensureFaceMedia, IDENTITIES } from '../../bench/corpora/face-corpus';
import { makeClip } from '../support/media-corpus';
import { checkedCall, ContractChecker, type Document } from '../support/openapi-contract';
import { MATRIX } from '../support/route-matrix';
import { startStack, type Stack } from '../support/stack';
import { makeTextClip } from '../support/text-media';

const SHA256_OF_FRAME = /^[0-9a-f]{64}$/;

/**
 * The success half of the contract: every route of the access matrix is
 * called once for real where it succeeds (with a worker, so clips reach review
 * and release), and each answer must match the document. The last test fails
 * when a route has no observed, documented success, so a new route cannot
 * join the matrix without one.
 */
describe('every route succeeds as the OpenAPI document says', () => {
  let stack: Stack;
  let checker: ContractChecker;
  let dir: string;
  const succeeded = new Set<string>();
  const problems: string[] = [];
  let admin: string;
  let creator: { id: string; token: string };
  let reviewer: { id: string; token: string };
  let senior: { id: string; token: string };
  let compliance: { id: string; token: string };
  let publisher: { id: string; token: string };

  /** Calls a route and expects `status`; a 2xx answer that matches the document counts the route as covered. */
  async function ok(route: string, path: string, init: Parameters<typeof checkedCall>[4], status: number) {
    if (!MATRIX[route]) throw new Error(`${route} is not in the access matrix`);
    const answer = await checkedCall(checker, stack.baseUrl, route, path, init);
    problems.push(...answer.problems);
    expect({ route, status: answer.status, body: answer.status === status ? undefined : answer.body }).toEqual({ route, status, body: undefined });
    if (status < 300 && answer.problems.length === 0) succeeded.add(route);
    return answer.body as any;
  }
  const form = async (file: string, fields: Record<string, string> = {}) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    body.append('file', new Blob([await readFile(file)]), basename(file));
    return body;
  };
  const upload = async (file: string) => {
    const { id } = await ok('POST /api/v1/clips/upload', '/api/v1/clips/upload', { token: creator.token, body: await form(file, { generator: 'contract-test' }) }, 202);
    return (await stack.waitForState(id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 120_000)) as ClipDto;
  };
  const claimAndDecide = async (who: { token: string }, id: string, decision: string, reasonCode: string) => {
    await ok('POST /api/v1/review/claim', '/api/v1/review/claim', { token: who.token, body: { clipId: id } }, 200);
    return ok('POST /api/v1/review/{clipId}/decision', `/api/v1/review/${id}/decision`, { token: who.token, body: { decision, reasonCode } }, 200);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openapi-success-'));
    stack = await startStack({ workers: 1, env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1:9' } });
    checker = new ContractChecker((await stack.call('/api/docs-json')).body as Document);
    admin = await stack.login();
    creator = await stack.userWithRoles(['creator'], admin);
    reviewer = await stack.userWithRoles(['reviewer'], admin);
    senior = await stack.userWithRoles(['senior_reviewer'], admin);
    compliance = await stack.userWithRoles(['compliance'], admin);
    publisher = await stack.userWithRoles(['publisher'], admin);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sessions, users and keys', async () => {
    const login = await ok('POST /api/v1/auth/login', '/api/v1/auth/login', { body: stack.admin }, 200);
    const refreshed = await ok('POST /api/v1/auth/refresh', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }, 200);
    await ok('GET /api/v1/auth/me', '/api/v1/auth/me', { token: refreshed.accessToken }, 200);
    await ok('POST /api/v1/auth/logout', '/api/v1/auth/logout', { token: refreshed.accessToken, body: { refreshToken: refreshed.refreshToken } }, 204);
    const user = await ok('POST /api/v1/users', '/api/v1/users', { token: admin, body: { email: 'success@example.com', password: 'long-enough-pass', roles: ['creator'] } }, 201);
    await ok('GET /api/v1/users', '/api/v1/users', { token: admin }, 200);
    await ok('PATCH /api/v1/users/{id}', `/api/v1/users/${user.id}`, { token: admin, body: { roles: ['creator', 'publisher'] } }, 200);
    const key = await ok('POST /api/v1/api-keys', '/api/v1/api-keys', { token: admin, body: { name: 'contract', userId: user.id } }, 201);
    await ok('DELETE /api/v1/api-keys/{id}', `/api/v1/api-keys/${key.id}`, { token: admin }, 204);
    await ok('DELETE /api/v1/users/{id}/personal-data', `/api/v1/users/${user.id}/personal-data`, { token: admin }, 200);
  });

  jest.setTimeout(240_000);

  it('a clip from intake through review to release, download and verification', async () => {
    await ok('POST /api/v1/clips', '/api/v1/clips', { token: creator.token, body: { prompt: 'a paper boat on a puddle' } }, 202);
    const clip = await upload(await makeClip(dir, { seconds: 3, width: 320, height: 240, name: 'approved.mp4' }));
    expect({ state: clip.state, why: clip.failureReason }).toEqual({ state: 'AWAITING_REVIEW', why: null });
    await ok('GET /api/v1/clips', '/api/v1/clips?limit=5', { token: reviewer.token }, 200);
    await ok('GET /api/v1/clips/{id}', `/api/v1/clips/${clip.id}`, { token: creator.token }, 200);
    await ok('GET /api/v1/clips/events', '/api/v1/clips/events', { token: reviewer.token }, 200);
    await ok('GET /api/v1/clips/{id}/media', `/api/v1/clips/${clip.id}/media`, { token: reviewer.token }, 200);
    await ok('GET /api/v1/clips/{id}/media', `/api/v1/clips/${clip.id}/media`, { token: reviewer.token, headers: { range: 'bytes=0-99' } }, 206);

    await ok('GET /api/v1/review/queue', '/api/v1/review/queue', { token: reviewer.token }, 200);
    await ok('POST /api/v1/review/claim', '/api/v1/review/claim', { token: reviewer.token, body: { clipId: clip.id } }, 200);
    await ok('POST /api/v1/review/{clipId}/heartbeat', `/api/v1/review/${clip.id}/heartbeat`, { token: reviewer.token, body: {} }, 200);
    await ok('DELETE /api/v1/review/{clipId}/claim', `/api/v1/review/${clip.id}/claim`, { token: reviewer.token }, 204);
    await claimAndDecide(reviewer, clip.id, 'approve', 'APPROVE_POLICY_COMPLIANT');
    expect((await stack.waitForState(clip.id, admin, ['RELEASED', 'FAILED'])).state).toBe('RELEASED');
    const res = await fetch(`${stack.baseUrl}/api/v1/clips/${clip.id}/download`, { headers: { authorization: `Bearer ${creator.token}` } });
    const signed = join(dir, 'released.mp4');
    await writeFile(signed, Buffer.from(await res.arrayBuffer()));
    await ok('GET /api/v1/clips/{id}/download', `/api/v1/clips/${clip.id}/download`, { token: creator.token }, 200);
    const verdict = await ok('POST /api/v1/verify', '/api/v1/verify', { token: publisher.token, body: await form(signed) }, 200);
    expect(JSON.stringify(verdict)).toContain(clip.id);
  });

  it('a blocked clip overridden by a senior, and a rejected one reopened by an admin', async () => {
    const blocked = await upload(await makeTextClip(dir, 'threat.mp4', { seconds: 3, width: 640, height: 360, text: 'I WILL KILL YOU' }));
    expect({ state: blocked.state, why: blocked.failureReason }).toMatchObject({ state: 'BLOCKED' });
    const moderation = blocked.stages.find((s) => s.stage === 'clip_moderation')!.result as unknown as ModerationStageResult;
    const frame = moderation.reports.flatMap((r) => r.report.evidence).flatMap((e) => (e.kind === 'frames' ? e.worstFrames.map((f) => f.thumbnailSha256) : []))[0];
    expect(frame).toMatch(SHA256_OF_FRAME);
    await ok('GET /api/v1/moderation/clips/{id}/evidence/{sha256}', `/api/v1/moderation/clips/${blocked.id}/evidence/${frame}`, { token: reviewer.token }, 200);
    await ok('POST /api/v1/review/{clipId}/override', `/api/v1/review/${blocked.id}/override`, { token: senior.token, body: { reason: 'a quoted line from a stage play, reviewed with the script' } }, 200);
    const rejected = await upload(await makeClip(dir, { seconds: 2, width: 320, height: 240, name: 'rejected.mp4' }));
    await claimAndDecide(reviewer, rejected.id, 'reject', 'REJECT_QUALITY');
    await ok('POST /api/v1/review/{clipId}/reopen', `/api/v1/review/${rejected.id}/reopen`, { token: admin, body: { reason: 'the creator sent a corrected description' } }, 200);
    await ok('GET /api/v1/review/reason-codes', '/api/v1/review/reason-codes', { token: reviewer.token }, 200);
  });

  it('an appeal of a blocked prompt, decided by a senior', async () => {
    const { id } = await ok('POST /api/v1/clips', '/api/v1/clips', { token: creator.token, body: { prompt: 'a boxer knocks out his opponent, blood spraying from his nose in slow motion' } }, 202);
    expect((await stack.waitForState(id, admin, ['BLOCKED', 'GENERATING', 'AWAITING_REVIEW', 'FAILED'])).state).toBe('BLOCKED');
    await ok('POST /api/v1/clips/{id}/appeal', `/api/v1/clips/${id}/appeal`, { token: creator.token, body: { reason: 'a boxing film; the blood is stage make-up' } }, 201);
    await ok('GET /api/v1/review/appeals', '/api/v1/review/appeals?status=pending', { token: senior.token }, 200);
    await ok('POST /api/v1/review/appeals/{clipId}', `/api/v1/review/appeals/${id}`, { token: senior.token, body: { decision: 'deny', reasonCode: 'DENY_REWRITE_NEEDED', note: 'show the knockout without the blood' } }, 200);
  });

  it('the likeness registry: an enrolment, a grant, the cameo feed, a protected subject', async () => {
    const person = await stack.userWithRoles(['publisher'], admin);
    const mine = await ok('POST /api/v1/likeness/subjects', '/api/v1/likeness/subjects', { token: person.token, body: { kind: 'consenting', displayName: 'Rowan Ashgrove' } }, 201);
    await ok('GET /api/v1/likeness/me', '/api/v1/likeness/me', { token: person.token }, 200);
    const portrait = join(ensureFaceMedia(), IDENTITIES.find((i) => i.id === 'hopper')!.file);
    await ok('POST /api/v1/likeness/subjects/{id}/images', `/api/v1/likeness/subjects/${mine.id}/images`, { token: person.token, body: await form(portrait) }, 201);
    const grant = await ok('POST /api/v1/likeness/subjects/{id}/grants', `/api/v1/likeness/subjects/${mine.id}/grants`, { token: person.token, body: { creatorId: creator.id } }, 201);
    const { id } = await ok('POST /api/v1/clips', '/api/v1/clips', { token: creator.token, body: { prompt: 'Rowan Ashgrove reading by the window' } }, 202);
    await stack.waitForState(id, admin, ['GENERATING', 'ANALYZING', 'AWAITING_REVIEW', 'BLOCKED', 'FAILED']);
    const feed = await ok('GET /api/v1/likeness/me/appearances', '/api/v1/likeness/me/appearances', { token: person.token }, 200);
    expect(feed).toEqual([expect.objectContaining({ clipId: id, outcome: 'allow', consent: 'granted' })]);
    await ok('DELETE /api/v1/likeness/subjects/{id}/grants/{grantId}', `/api/v1/likeness/subjects/${mine.id}/grants/${grant.id}`, { token: person.token }, 200);
    const quinlan = await ok('POST /api/v1/likeness/subjects', '/api/v1/likeness/subjects', { token: compliance.token, body: { kind: 'protected', displayName: 'Ada Quinlan' } }, 201);
    await ok('GET /api/v1/likeness/subjects', '/api/v1/likeness/subjects', { token: reviewer.token }, 200);
    await ok('GET /api/v1/likeness/subjects/{id}', `/api/v1/likeness/subjects/${quinlan.id}`, { token: reviewer.token }, 200);
    await ok('DELETE /api/v1/likeness/subjects/{id}', `/api/v1/likeness/subjects/${quinlan.id}`, { token: compliance.token }, 204);
  });

  it('policy, webhooks, catalogues, the audit log and operations', async () => {
    const policy = await ok('GET /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: compliance.token }, 200);
    const changed = structuredClone(policy.document);
    changed.version = `${changed.version}-contract`;
    await ok('PUT /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: admin, body: changed }, 200);
    const hook = await ok('POST /api/v1/webhooks', '/api/v1/webhooks', { token: creator.token, body: { url: 'http://127.0.0.1:9/hook' } }, 201);
    await ok('GET /api/v1/webhooks', '/api/v1/webhooks', { token: creator.token }, 200);
    await ok('GET /api/v1/webhooks/{id}/deliveries', `/api/v1/webhooks/${hook.id}/deliveries`, { token: creator.token }, 200);
    await ok('DELETE /api/v1/webhooks/{id}', `/api/v1/webhooks/${hook.id}`, { token: creator.token }, 204);
    await ok('GET /api/v1/catalogues/clip-states', '/api/v1/catalogues/clip-states', { token: publisher.token }, 200);
    await ok('GET /api/v1/catalogues/check-kinds', '/api/v1/catalogues/check-kinds', { token: publisher.token }, 200);

    await ok('GET /api/v1/audit/public-key', '/api/v1/audit/public-key', {}, 200);
    await stack.waitFor(async () => (await stack.call('/api/v1/audit/checkpoints/latest', { token: admin })).status === 200, 30_000, 'a signed checkpoint');
    const { treeSize } = await ok('GET /api/v1/audit/checkpoints/latest', '/api/v1/audit/checkpoints/latest', { token: publisher.token }, 200);
    await ok('GET /api/v1/audit/proofs/inclusion', `/api/v1/audit/proofs/inclusion?seq=1&treeSize=${treeSize}`, { token: publisher.token }, 200);
    // A consistency proof joins two signed checkpoints: verifying is audited, so a later one follows.
    await ok('GET /api/v1/audit/verify', '/api/v1/audit/verify', { token: compliance.token }, 200);
    const later = async () => (await stack.call('/api/v1/audit/checkpoints/latest', { token: admin })).body.treeSize as number;
    await stack.waitFor(async () => (await later()) > treeSize, 30_000, 'a later signed checkpoint');
    await ok('GET /api/v1/audit/proofs/consistency', `/api/v1/audit/proofs/consistency?from=${treeSize}&to=${await later()}`, { token: publisher.token }, 200);
    const events = await ok('GET /api/v1/audit/events', '/api/v1/audit/events?limit=5', { token: compliance.token }, 200);
    const clipEvent = JSON.stringify(events).match(/"subjectType":"clip","subjectId":"([0-9a-f-]{36})"/)?.[1];
    const anyClip = clipEvent ?? (await stack.call('/api/v1/clips?limit=1', { token: admin })).body.items[0].id;
    await ok('GET /api/v1/audit/clips/{id}/timeline', `/api/v1/audit/clips/${anyClip}/timeline`, { token: compliance.token }, 200);
    await ok('GET /api/v1/audit/export', '/api/v1/audit/export', { token: compliance.token }, 200);
    await ok('GET /health/live', '/health/live', {}, 200);
    await ok('GET /health/ready', '/health/ready', {}, 200);
    await ok('GET /metrics', '/metrics', { token: admin }, 200);
  });

  it('left no route of the matrix without a documented success', () => {
    expect(problems).toEqual([]);
    expect(Object.keys(MATRIX).filter((route) => !succeeded.has(route))).toEqual([]);
  });
});
