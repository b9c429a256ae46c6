import { startStack, type Stack } from '../support/stack';

/**
 * Security headers on every response, and the console's session: a refresh
 * token the page's script never sees (HttpOnly, Secure, SameSite=Strict
 * cookie scoped to the auth routes), rotated and revoked like any other.
 */
describe('HTTP hardening: security headers and the refresh cookie', () => {
  let stack: Stack;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const cookieOf = (res: Response) => res.headers.get('set-cookie') ?? '';
  const tokenIn = (setCookie: string) => /provenant_refresh=([^;]*)/.exec(setCookie)?.[1] ?? '';

  // TRUST_PROXY=loopback: the test plays a TLS-terminating proxy with X-Forwarded-Proto.
  beforeAll(async () => (stack = await startStack({ workers: 0, env: { TRUST_PROXY: 'loopback' } })), 120_000);
  afterAll(() => stack?.stop());

  it('sends security headers on the console, the API, errors and probes, and HSTS only over TLS', async () => {
    for (const path of ['/', '/clips', '/api/v1/clips', '/api/v1/nope', '/health/live']) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      const h = res.headers;
      expect({ path, powered: h.get('x-powered-by'), nosniff: h.get('x-content-type-options'), referrer: h.get('referrer-policy'), frame: h.get('x-frame-options') }).toEqual({
        path,
        powered: null,
        nosniff: 'nosniff',
        referrer: 'no-referrer',
        frame: 'SAMEORIGIN',
      });
      const csp = h.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(h.get('strict-transport-security')).toBeNull();
    }
    const overTls = await fetch(`${stack.baseUrl}/health/live`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(overTls.headers.get('strict-transport-security')).toMatch(/^max-age=\d+; includeSubDomains$/);
  });

  it('in cookie mode keeps the refresh token out of the answer, rotates it, detects its replay and clears it at logout', async () => {
    const login = await post('/api/v1/auth/login', { email: stack.admin.email, password: stack.admin.password, refreshTokenIn: 'cookie' });
    expect(login.status).toBe(200);
    const session = await login.json();
    expect(Object.keys(session).sort()).toEqual(['accessToken', 'expiresIn']);
    const first = cookieOf(login);
    expect(first).toMatch(/^provenant_refresh=pvr_[^;]+; Max-Age=\d+; Path=\/api\/v1\/auth; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);

    const refreshed = await post('/api/v1/auth/refresh', {}, { cookie: `provenant_refresh=${tokenIn(first)}` });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(await refreshed.json()).sort()).toEqual(['accessToken', 'expiresIn']);
    const second = tokenIn(cookieOf(refreshed));
    expect(second).toMatch(/^pvr_/);
    expect(second).not.toBe(tokenIn(first));

    // The first cookie, replayed, is a stolen token: the family ends, the second one with it.
    expect((await post('/api/v1/auth/refresh', {}, { cookie: `provenant_refresh=${tokenIn(first)}` })).status).toBe(401);
    expect((await post('/api/v1/auth/refresh', {}, { cookie: `provenant_refresh=${second}` })).status).toBe(401);

    const again = await post('/api/v1/auth/login', { email: stack.admin.email, password: stack.admin.password, refreshTokenIn: 'cookie' });
    const { accessToken } = await again.json();
    const out = await post('/api/v1/auth/logout', {}, { cookie: `provenant_refresh=${tokenIn(cookieOf(again))}`, authorization: `Bearer ${accessToken}` });
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/^provenant_refresh=; Path=\/api\/v1\/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict$/);
    expect((await post('/api/v1/auth/refresh', {}, { cookie: `provenant_refresh=${tokenIn(cookieOf(again))}` })).status).toBe(401);
  });

  it('keeps body mode for the CLI and integrations, and names what is missing', async () => {
    const login = await post('/api/v1/auth/login', { email: stack.admin.email, password: stack.admin.password });
    expect(cookieOf(login)).toBe('');
    expect(await login.json()).toMatchObject({ refreshToken: expect.stringMatching(/^pvr_/) });
    const none = await post('/api/v1/auth/refresh', {});
    expect({ status: none.status, message: (await none.json()).message }).toEqual({ status: 400, message: 'refreshToken: is required, in the body or as the provenant_refresh cookie' });
    const bad = await post('/api/v1/auth/login', { email: stack.admin.email, password: stack.admin.password, refreshTokenIn: 'header' });
    expect({ status: bad.status, message: (await bad.json()).message }).toEqual({ status: 400, message: "refreshTokenIn: must be 'body' or 'cookie'" });
  });
});
