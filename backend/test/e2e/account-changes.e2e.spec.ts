import { JwtService } from '@nestjs/jwt';
import { jwtOptions } from '../../src/modules/auth/jwt-options';
import { startStack, type Stack } from '../support/stack';

const JWT_SECRET = 'account-changes-test-secret-0123456789abcdef';

interface User {
  id: string;
  token: string;
  email: string;
}

/** Reads a clip event stream to its end, keeping each event's type (`message` unless named) and data. */
async function readStream(stack: Stack, token: string, onOpen: () => Promise<void>, timeoutMs = 20_000): Promise<{ status: number; events: { event: string; data: any }[] }> {
  const res = await fetch(`${stack.baseUrl}/api/v1/clips/events`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status !== 200) return { status: res.status, events: [] };
  await onOpen();
  const events: { event: string; data: any }[] = [];
  const text = await res.text(); // resolves only when the server ends the stream
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const data = lines.find((l) => l.startsWith('data:'));
    if (!data) continue;
    events.push({ event: lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message', data: JSON.parse(data.slice(5)) });
  }
  return { status: res.status, events };
}

/**
 * An account that is disabled, erased or loses a role stops working at once,
 * whatever tokens it still holds: every request checks the account (cached per
 * process, dropped by a Postgres NOTIFY at commit), and event streams end.
 */
describe('account changes take effect on live sessions', () => {
  let stack: Stack;
  let admin: string;
  const make = (roles: string[]): Promise<User> => stack.userWithRoles(roles, admin);
  const patch = (id: string, body: unknown, token = admin) => stack.call(`/api/v1/users/${id}`, { method: 'PATCH', token, body });
  const auditOf = (subjectId: string) =>
    stack.db((db) => db.query(`SELECT actor, action, body FROM audit_events WHERE subject_id = $1 ORDER BY id`, [subjectId]).then((r) => r.rows));

  beforeAll(async () => {
    // A long cache lifetime: anything seen within the test is the NOTIFY's doing, not the cache expiring.
    stack = await startStack({ workers: 1, env: { JWT_SECRET, ACCOUNT_CHECK_TTL_MS: '600000', REVIEW_LEASE_SECONDS: '600' } });
    admin = await stack.login();
  }, 120_000);
  afterAll(() => stack?.stop());

  it('disabling ends everything at once: access tokens, refresh tokens, API keys and review claims', async () => {
    const creator = await make(['creator']);
    const reviewer = await make(['reviewer']);
    const refresh = (await stack.call('/api/v1/auth/login', { body: { email: reviewer.email, password: 'password-for-tests' } })).body.refreshToken;
    const key = (await stack.call('/api/v1/api-keys', { token: admin, body: { name: 'integration', userId: creator.id } })).body.key;
    const submitted = await stack.call('/api/v1/clips', { token: creator.token, body: { prompt: 'a lighthouse at dusk, waves rolling in' } });
    await stack.waitForState(submitted.body.id, admin, ['AWAITING_REVIEW'], 120_000);
    expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId: submitted.body.id } })).status).toBe(200);
    // Both accounts are in use, so each process has them cached as enabled.
    expect((await stack.call('/api/v1/auth/me', { token: reviewer.token })).status).toBe(200);
    expect((await stack.call('/api/v1/clips', { token: key })).status).toBe(200);

    const disabled = await patch(reviewer.id, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: reviewer.id, disabledAt: expect.any(String), erased: false });
    await stack.waitFor(async () => (await stack.call('/api/v1/auth/me', { token: reviewer.token })).status === 401, 2_000, 'the disabled reviewer’s token to be refused');
    expect((await stack.call('/api/v1/auth/refresh', { body: { refreshToken: refresh } })).status).toBe(401);
    expect((await stack.call('/api/v1/auth/login', { body: { email: reviewer.email, password: 'password-for-tests' } })).status).toBe(401);
    // The claim went back to the queue, recorded as such.
    const queued = (await stack.call('/api/v1/review/queue', { token: (await make(['reviewer'])).token })).body.find((i: any) => i.clipId === submitted.body.id);
    expect(queued.claim).toBeNull();
    expect((await auditOf(submitted.body.id)).find((e: any) => e.action === 'review.claim_returned')).toMatchObject({ actor: expect.stringMatching(/^user:/), body: { round: 1, accountDisabled: true } });
    expect((await auditOf(reviewer.id)).find((e: any) => e.action === 'user.disabled').body).toEqual({ refreshTokensRevoked: 2, apiKeysRevoked: 0, claimsReturned: 1 });

    expect((await patch(creator.id, { disabled: true })).status).toBe(200);
    expect((await stack.call('/api/v1/clips', { token: key })).status).toBe(401);

    // Enabling lets the person sign in again; the old sessions stay ended.
    const enabled = await patch(reviewer.id, { disabled: false });
    expect(enabled.body).toMatchObject({ disabledAt: null });
    expect((await auditOf(reviewer.id)).map((e: any) => e.action)).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
    expect((await stack.call('/api/v1/auth/refresh', { body: { refreshToken: refresh } })).status).toBe(401);
    expect((await stack.call('/api/v1/auth/login', { body: { email: reviewer.email, password: 'password-for-tests' } })).status).toBe(200);
  }, 180_000);

  it('an erased user’s still-valid token is refused at once, and an erased account cannot be enabled again', async () => {
    const reviewer = await make(['reviewer']);
    expect((await stack.call('/api/v1/review/queue', { token: reviewer.token })).status).toBe(200);
    expect((await stack.call(`/api/v1/users/${reviewer.id}/personal-data`, { method: 'DELETE', token: admin })).status).toBe(200);
    await stack.waitFor(async () => (await stack.call('/api/v1/review/queue', { token: reviewer.token })).status === 401, 2_000, 'the erased reviewer’s token to be refused');
    const again = await patch(reviewer.id, { disabled: false });
    expect({ status: again.status, message: again.body.message }).toEqual({ status: 409, message: `id: user ${reviewer.id} was erased and cannot be enabled again; create a new account` });
  });

  it('a role taken away stops working with the token that still names it', async () => {
    const user = await make(['creator', 'reviewer']);
    expect((await stack.call('/api/v1/review/queue', { token: user.token })).status).toBe(200);
    const changed = await patch(user.id, { roles: ['creator'] });
    expect(changed.body).toMatchObject({ roles: ['creator'] });
    expect((await auditOf(user.id)).find((e: any) => e.action === 'user.roles_changed').body).toEqual({ roles: ['creator'], previousRoles: ['creator', 'reviewer'] });
    await stack.waitFor(async () => (await stack.call('/api/v1/review/queue', { token: user.token })).status === 403, 2_000, 'the removed role to be refused');
    expect((await stack.call('/api/v1/clips', { token: user.token })).status).toBe(200);
  });

  it('an event stream ends, saying why, when its account changes or its token expires', async () => {
    const creator = await make(['creator']);
    const changed = await readStream(stack, creator.token, async () => {
      expect((await patch(creator.id, { disabled: true })).status).toBe(200);
    });
    expect(changed.events.at(-1)).toEqual({ event: 'session_ended', data: { reason: 'account_changed' } });
    expect((await readStream(stack, creator.token, async () => undefined)).status).toBe(401);

    // A token valid for three more seconds, signed as the api signs them: the stream lasts exactly as long.
    const other = await make(['creator']);
    const jwt = new JwtService(jwtOptions(JWT_SECRET));
    const shortLived = await jwt.signAsync({ sub: other.id, roles: ['creator'], typ: 'access' }, { expiresIn: 3 });
    const opened = Date.now();
    const expired = await readStream(stack, shortLived, async () => undefined);
    expect(expired.events.at(-1)).toEqual({ event: 'session_ended', data: { reason: 'token_expired' } });
    expect(Date.now() - opened).toBeGreaterThan(1_500);
    expect(Date.now() - opened).toBeLessThan(6_000);
  });

  it('refuses role combinations that defeat separation of duties, and never disables or demotes the last admin', async () => {
    const create = (roles: string[]) =>
      stack.call('/api/v1/users', { token: admin, body: { email: `sod-${roles.join('-')}-${Date.now()}@provenant.test`, password: 'password-for-tests', roles } });
    for (const [roles, pair] of [
      [['admin', 'reviewer'], 'admin and reviewer'],
      [['admin', 'senior_reviewer'], 'admin and senior_reviewer'],
      [['compliance', 'admin'], 'admin and compliance'],
    ] as const) {
      const refused = await create([...roles]);
      expect({ status: refused.status, message: refused.body.message }).toEqual({
        status: 400,
        message: `roles: ${pair} may not be held by one person (separation of duties); set ALLOW_CONFLICTING_ROLES=true to allow it`,
      });
    }
    const reviewer = await make(['reviewer']);
    expect((await patch(reviewer.id, { roles: ['reviewer', 'admin'] })).status).toBe(400);

    const me = (await stack.call('/api/v1/auth/me', { token: admin })).body;
    const enabledAdmins = await stack.db((db) => db.query(`SELECT id FROM users WHERE 'admin' = ANY(roles) AND disabled_at IS NULL`).then((r) => r.rows));
    expect(enabledAdmins).toEqual([{ id: me.id }]);
    expect((await patch(me.id, { disabled: true })).body.message).toBe('id: cannot disable the last enabled admin; make another user admin first');
    expect((await patch(me.id, { roles: ['compliance'] })).body.message).toBe('id: cannot take the admin role from the last enabled admin; make another user admin first');
  });

  it('validates the change with the field named', async () => {
    const user = await make(['creator']);
    const cases: [unknown, string][] = [
      [{}, 'body: give disabled, roles or both'],
      [{ disabled: 'yes' }, 'disabled: must be true or false'],
      [{ roles: [] }, 'roles: must list at least one role'],
      [{ roles: ['root'] }, expect.stringMatching(/^roles\.0: /) as unknown as string],
      [{ email: 'x@y.z' }, expect.stringMatching(/^body: .*email/) as unknown as string],
    ];
    for (const [body, message] of cases) {
      const res = await patch(user.id, body);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message });
    }
    expect((await patch('00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
  });
});
