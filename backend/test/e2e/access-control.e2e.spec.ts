import { ROLES } from '@provenant/shared';
import { MATRIX, type Who } from '../support/route-matrix';
import { startStack, type Stack } from '../support/stack';

describe('every route × every role', () => {
  let stack: Stack;
  const tokens = new Map<Who, string | undefined>();
  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    const admin = await stack.login();
    tokens.set('anonymous', undefined);
    for (const role of ROLES) tokens.set(role, role === 'admin' ? admin : (await stack.userWithRoles([role], admin)).token);
  });
  afterAll(() => stack?.stop());

  it('the matrix lists exactly the routes the api serves', async () => {
    const doc = (await stack.call('/api/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.entries(MATRIX))('%s admits exactly %j', async (route, allowed) => {
    const [method, template] = route.split(' ');
    const path = template.replace('{id}', '00000000-0000-4000-8000-000000000000');
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [who, token] of tokens) {
      const abort = new AbortController();
      const res = await fetch(`${stack.baseUrl}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        signal: abort.signal,
      });
      abort.abort(); // an SSE stream would otherwise stay open
      outcomes[who] = res.status === 401 || res.status === 403 ? 'deny' : 'allow';
      expected[who] = allowed.includes(who) ? 'allow' : 'deny';
      if (outcomes[who] === 'deny') expect(res.status).toBe(token ? 403 : 401);
    }
    expect(outcomes).toEqual(expected);
  });
});

describe('accounts, tokens and API keys', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ workers: 0 })));
  afterAll(() => stack?.stop());

  it('logs in, rotates refresh tokens once, and writes no audit event per failed login', async () => {
    const login = await stack.call('/api/v1/auth/login', { body: stack.admin });
    expect(login.status).toBe(200);
    const refreshed = await stack.call('/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await stack.call('/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status).toBe(401);
    expect((await stack.call('/api/v1/auth/me', { token: refreshed.body.accessToken })).body).toMatchObject({ email: stack.admin.email, roles: ['admin'] });

    const eventCount = () => stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events`).then((r) => r.rows[0].n as number));
    const before = await eventCount();
    const bad = await stack.call('/api/v1/auth/login', { body: { email: 'nobody@example.com', password: 'wrong' } });
    expect(bad.status).toBe(401);
    expect(bad.body.message).toBe('e-mail or password is wrong');
    // An unauthenticated caller's failure is counted by the login throttle, not kept for ever in the log.
    expect(await eventCount()).toBe(before);
    const stored = await stack.db((db) => db.query(`SELECT password_hash FROM users`).then((r) => r.rows));
    for (const row of stored) expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  const refresh = (refreshToken: string) => stack.call('/api/v1/auth/refresh', { body: { refreshToken } });
  const auditOf = (action: string) =>
    stack.db((db) => db.query(`SELECT actor, subject_id, body FROM audit_events WHERE action = $1 ORDER BY id`, [action]).then((r) => r.rows));

  it('logout revokes the session: every refresh token of its family, audited', async () => {
    const login = (await stack.call('/api/v1/auth/login', { body: stack.admin })).body;
    const rotated = (await refresh(login.refreshToken)).body;
    const other = (await stack.call('/api/v1/auth/login', { body: stack.admin })).body; // a second session, which stays
    const creator = await stack.userWithRoles(['creator'], rotated.accessToken);
    const notMine = await stack.call('/api/v1/auth/logout', { token: creator.token, body: { refreshToken: rotated.refreshToken } });
    expect({ status: notMine.status, message: notMine.body.message }).toEqual({ status: 400, message: 'refreshToken: is not a refresh token of the signed-in user' });
    expect((await stack.call('/api/v1/auth/logout', { body: { refreshToken: rotated.refreshToken } })).status).toBe(401);

    expect((await stack.call('/api/v1/auth/logout', { token: rotated.accessToken, body: { refreshToken: rotated.refreshToken } })).status).toBe(204);
    expect((await refresh(rotated.refreshToken)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(200);
    const [adminId] = (await auditOf('auth.login')).map((e) => e.subject_id);
    const logouts = await auditOf('auth.logout');
    expect(logouts).toEqual([{ actor: `user:${adminId}`, subject_id: adminId, body: { familyId: expect.stringMatching(/^[0-9a-f-]{36}$/) } }]);
    expect((await auditOf('auth.refresh')).map((e) => e.body.familyId)).toContain(logouts[0].body.familyId);
  });

  it('replaying a rotated refresh token revokes its whole family and is audited with ids only', async () => {
    const earlier = (await auditOf('auth.refresh_reused')).length;
    const login = (await stack.call('/api/v1/auth/login', { body: stack.admin })).body;
    const victim = (await refresh(login.refreshToken)).body; // the victim's session moved on
    const replay = await refresh(login.refreshToken); // the thief's copy of the old token
    expect(replay.status).toBe(401);
    expect((await refresh(victim.refreshToken)).status).toBe(401); // the victim's live token ended too
    const reused = (await auditOf('auth.refresh_reused')).slice(earlier);
    expect(reused).toHaveLength(1);
    expect(reused[0]).toMatchObject({ actor: 'anonymous', body: { familyId: expect.any(String), refreshTokenId: expect.any(String) } });
    expect(Object.keys(reused[0].body).sort()).toEqual(['familyId', 'refreshTokenId']);
    const live = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM refresh_tokens WHERE family_id = $1 AND revoked_at IS NULL`, [reused[0].body.familyId]));
    expect(live.rows[0].n).toBe(0);
    expect(JSON.stringify(await auditOf('auth.refresh'))).not.toContain('pvr_');
  });

  it('creates users with validation and refuses duplicates', async () => {
    const admin = await stack.login();
    const create = (body: unknown) => stack.call('/api/v1/users', { token: admin, body });
    expect((await create({ email: 'x@example.com', password: 'short', roles: ['creator'] })).body.message).toMatch(/password: must be at least 12/);
    expect((await create({ email: 'x@example.com', password: 'long-enough-pass', roles: ['wizard'] })).status).toBe(400);
    expect((await create({ email: 'dup@example.com', password: 'long-enough-pass', roles: ['creator'] })).status).toBe(201);
    expect((await create({ email: 'DUP@example.com', password: 'long-enough-pass', roles: ['creator'] })).status).toBe(409);
  });

  it('API keys are stored hashed, act with creator/publisher roles only, and can be revoked', async () => {
    const admin = await stack.login();
    const creator = await stack.userWithRoles(['creator'], admin);
    const reviewer = await stack.userWithRoles(['reviewer'], admin);
    expect((await stack.call('/api/v1/api-keys', { token: admin, body: { name: 'ci', userId: reviewer.id } })).status).toBe(400);
    const key = await stack.call('/api/v1/api-keys', { token: admin, body: { name: 'studio', userId: creator.id } });
    expect(key.status).toBe(201);
    const rows = await stack.db((db) => db.query(`SELECT key_hash FROM api_keys`).then((r) => r.rows));
    expect(JSON.stringify(rows)).not.toContain(key.body.key);
    const viaKey = await stack.call('/api/v1/clips', { headers: { 'x-api-key': key.body.key }, body: { prompt: 'from an integration' } });
    expect({ status: viaKey.status, body: viaKey.body }).toEqual({ status: 202, body: expect.anything() });
    expect((await stack.call('/api/v1/users', { headers: { 'x-api-key': key.body.key } })).status).toBe(403);
    expect((await stack.call(`/api/v1/api-keys/${key.body.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect((await stack.call('/api/v1/clips', { headers: { 'x-api-key': key.body.key }, body: { prompt: 'after revoke' } })).status).toBe(401);
  });

  it('a creator sees only their own clips', async () => {
    const admin = await stack.login();
    const alice = await stack.userWithRoles(['creator'], admin);
    const bob = await stack.userWithRoles(['creator'], admin);
    const aliceClip = (await stack.call('/api/v1/clips', { token: alice.token, body: { prompt: 'alice clip' } })).body.id;
    expect((await stack.call(`/api/v1/clips/${aliceClip}`, { token: bob.token })).status).toBe(404);
    expect((await stack.call(`/api/v1/clips/${aliceClip}`, { token: alice.token })).status).toBe(200);
    const bobList = await stack.call('/api/v1/clips', { token: bob.token });
    expect(bobList.body.items.map((c: { id: string }) => c.id)).not.toContain(aliceClip);
    const adminList = await stack.call('/api/v1/clips', { token: admin });
    expect(adminList.body.items.map((c: { id: string }) => c.id)).toContain(aliceClip);
  });
});
