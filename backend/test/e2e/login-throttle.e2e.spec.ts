import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, type Stack } from '../support/stack';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lockouts(stack: Stack) {
  return stack.db((db) => db.query(`SELECT actor, subject_type, subject_id, body FROM audit_events WHERE action = 'auth.lockout' ORDER BY id`).then((r) => r.rows));
}

describe('login throttling: lockouts per account and per client address', () => {
  let stack: Stack;
  let otherApi: string;
  let admin: string;
  // TRUST_PROXY=loopback: each test signs in from an address of its own through X-Forwarded-For.
  beforeAll(async () => {
    stack = await startStack({
      workers: 0,
      env: { LOGIN_DELAY_BASE_MS: '0', LOGIN_LOCKOUT_SECONDS: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '15', TRUST_PROXY: 'loopback' },
    });
    otherApi = await stack.startAnotherApi();
    admin = await stack.login();
  });
  afterAll(() => stack?.stop());

  const login = (email: string, password: string, from: string, baseUrl?: string) =>
    stack.call('/api/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': from }, baseUrl });

  it('after 10 failures across two api processes, the right password gets 429 with Retry-After until the lockout ends; audited once', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    const from = '198.51.100.1';
    const before = (await lockouts(stack)).length;
    for (let i = 0; i < 10; i++) expect((await login(user.email, 'wrong-password', from, i % 2 ? otherApi : undefined)).status).toBe(401);

    const locked = await login(user.email, 'password-for-tests', from, otherApi);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(3);
    expect(locked.body.message).toMatch(/^too many failed sign-ins; retry in \d s$/);
    expect((await login(user.email, 'password-for-tests', '198.51.100.99')).status).toBe(429); // the account, from anywhere

    const events = (await lockouts(stack)).slice(before);
    expect(events).toEqual([
      { actor: 'anonymous', subject_type: 'user', subject_id: user.id, body: { scope: 'account', failures: 10, lockedUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
    ]);
    const perAttempt = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login_failed'`));
    expect(perAttempt.rows[0].n).toBe(0);

    await sleep(Number(locked.headers.get('retry-after')) * 1000 + 200);
    expect((await login(user.email, 'password-for-tests', from)).status).toBe(200);
    expect((await lockouts(stack)).slice(before)).toHaveLength(1);
  });

  it('40 wrong passwords at once: 10 are checked, the rest and then the right one get 429', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    const from = '198.51.100.2';
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => login(user.email, `guess-${i}`, from, i % 2 ? otherApi : undefined)));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect((await login(user.email, 'password-for-tests', from)).status).toBe(429);
    expect((await lockouts(stack)).filter((e) => e.subject_id === user.id)).toHaveLength(1);
  });

  it('an unknown e-mail is counted too, in any case, under an HMAC with the server key, not its SHA-256', async () => {
    const from = '198.51.100.3';
    const spellings = ['ghost@example.com', 'Ghost@Example.com', ' GHOST@example.com '];
    for (let i = 0; i < 10; i++) expect((await login(spellings[i % 3], 'wrong-password', from)).status).toBe(401);
    expect((await login('ghost@example.com', 'wrong-password', from)).status).toBe(429);

    const [event] = (await lockouts(stack)).filter((e) => e.subject_type === 'email_hmac');
    expect(event.body).toMatchObject({ scope: 'account', failures: 10 });
    expect([sha256('ghost@example.com'), sha256('Ghost@Example.com')]).not.toContain(event.subject_id);
    const key = Buffer.from(readFileSync(join(stack.env.DATA_DIR, 'keys', 'pseudonym-key.dev.hex'), 'utf8').trim(), 'hex');
    expect(event.subject_id).toBe(createHmac('sha256', key).update('email\0ghost@example.com').digest('hex'));
    const counters = await stack.db((db) => db.query(`SELECT key FROM login_throttle`).then((r) => r.rows.map((row) => row.key as string)));
    expect(counters.join()).not.toMatch(/ghost|198\.51/i);
  });

  it('limits failures per client address across different accounts, and not other addresses', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    const from = '198.51.100.4';
    for (let i = 0; i < 15; i++) expect((await login(`sprayed-${i}@example.com`, 'Winter2025!', from, i % 2 ? otherApi : undefined)).status).toBe(401);
    const locked = await login(user.email, 'password-for-tests', from);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await login(user.email, 'password-for-tests', '198.51.100.5')).status).toBe(200);

    const byAddress = (await lockouts(stack)).filter((e) => e.subject_type === 'client_address_hmac');
    expect(byAddress).toHaveLength(1);
    expect(byAddress[0]).toMatchObject({ actor: 'anonymous', body: { scope: 'client_address', failures: 15 } });
    expect(byAddress[0].subject_id).toMatch(/^[0-9a-f]{64}$/);
    expect(byAddress[0].subject_id).not.toBe(sha256(from));
  });

  it('a successful login resets the account count', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    for (const from of ['198.51.100.6', '198.51.100.7']) {
      for (let i = 0; i < 9; i++) expect((await login(user.email, 'wrong-password', from)).status).toBe(401);
      expect((await login(user.email, 'password-for-tests', from)).status).toBe(200);
    }
  });
});

describe('login throttling: exponential delays, and addresses without a trusted proxy', () => {
  let stack: Stack;
  let otherApi: string;
  let admin: string;
  beforeAll(async () => {
    stack = await startStack({ workers: 0, env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '8' } });
    otherApi = await stack.startAnotherApi();
    admin = await stack.login();
  });
  afterAll(() => stack?.stop());

  const login = (email: string, password: string, options: { baseUrl?: string; headers?: Record<string, string> } = {}) =>
    stack.call('/api/v1/auth/login', { body: { email, password }, ...options });

  it('three failures pass freely; after the fourth the next attempt waits, on any api process, then the right password works', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong-password', { baseUrl: i % 2 ? otherApi : undefined })).status).toBe(401);
    const delayed = await login(user.email, 'password-for-tests', { baseUrl: otherApi });
    expect(delayed.status).toBe(429);
    expect(delayed.headers.get('retry-after')).toBe('1');
    await sleep(1100);
    expect((await login(user.email, 'password-for-tests')).status).toBe(200);
  });

  // Continues from the test above: the loopback address has 4 of its 8 failures left.
  it('without TRUST_PROXY a client cannot escape the address limit with X-Forwarded-For', async () => {
    const user = await stack.userWithRoles(['creator'], admin);
    for (let i = 0; i < 4; i++) {
      const spoofed = await login(`sprayed-${i}@example.com`, 'Winter2025!', { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
      expect(spoofed.status).toBe(401);
    }
    const locked = await login(user.email, 'password-for-tests', { headers: { 'x-forwarded-for': '203.0.113.200' } });
    expect(locked.status).toBe(429);
    expect((await lockouts(stack)).map((e) => e.body.scope)).toEqual(['client_address']);
  });
});
