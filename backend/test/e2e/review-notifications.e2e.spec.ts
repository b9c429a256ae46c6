import { createHash } from 'node:crypto';
import { verifyWebhookSignature } from '../../src/modules/notifications/webhook-signature';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

/** Reads a server-sent event stream in the background, keeping every `data:` object. */
function follow(stack: Stack, token: string): { events: any[]; stop: () => Promise<void> } {
  const events: any[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(`${stack.baseUrl}/api/v1/clips/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buffered += decoder.decode(value, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('data:')) events.push(JSON.parse(line.slice(5)));
    }
  })().catch(() => undefined);
  return { events, stop: async () => (abort.abort(), await done) };
}

/**
 * How a creator's integration learns a review's outcome: the clip event
 * stream and signed webhooks, retried with backoff, every attempt recorded.
 * The receiver is a loopback HTTP server standing in for the integration.
 */
describe('review outcome notifications', () => {
  let stack: Stack;
  let receiver: FakeHttpServer;
  let admin: string;
  let creator: User;
  let otherCreator: User;
  let reviewer: User;
  let apiKey: string;

  beforeAll(async () => {
    receiver = await FakeHttpServer.start();
    const answered = new Set<string>();
    // Fails each delivery's first attempt, then accepts it.
    receiver.route('POST', /^\/hooks\/flaky$/, (req) => {
      const id = String(req.headers['x-provenant-delivery']);
      if (answered.has(id)) return { status: 200, json: { ok: true } };
      answered.add(id);
      return { status: 500, text: 'try again later' };
    });
    receiver.route('POST', /^\/hooks\/key$/, () => ({ status: 204 }));
    receiver.route('POST', /^\/hooks\/down$/, () => ({ status: 503, text: 'down for maintenance' }));
    // The receiver is on loopback: this deployment allows exactly its address and port, as an in-house receiver would be.
    const allowed = `127.0.0.1:${new URL(receiver.url).port}`;
    stack = await startStack({ workers: 1, env: { WEBHOOK_BACKOFF_MS: '200', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_ALLOWED_NETWORKS: allowed } });
    admin = await stack.login();
    [creator, otherCreator, reviewer] = await Promise.all([stack.userWithRoles(['creator'], admin), stack.userWithRoles(['creator'], admin), stack.userWithRoles(['reviewer'], admin)]);
    apiKey = (await stack.call('/api/v1/api-keys', { token: admin, body: { name: 'studio', userId: creator.id } })).body.key;
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  });

  it('registers webhooks per user or per API key, shows the secret once and keeps them private', async () => {
    const bad = (body: unknown) => stack.call('/api/v1/webhooks', { token: creator.token, body }).then((r) => r.body.message);
    expect(await bad({})).toBe('url: is required: the URL to POST outcomes to');
    expect(await bad({ url: 'ftp://example.com/hook' })).toBe('url: must be an http:// or https:// URL');
    expect(await bad({ url: `${receiver.url}/hooks/key`, events: ['clip.exploded'] })).toMatch(/^events\.0: must be among clip.approved/);
    // Internal addresses, in any spelling, are refused: no delivery log can tell a creator which internal ports are open.
    const loopback = 'url: resolves to 127.0.0.1, a loopback address; webhooks may only reach public addresses';
    for (const url of [`http://127.0.0.1:${new URL(stack.baseUrl).port}/api/v1/users`, 'http://127.0.0.1:5432/', 'http://0x7f000001:3290/', 'http://localhost:6379/']) {
      expect(await bad({ url })).toBe(loopback);
    }
    expect(await bad({ url: 'http://169.254.169.254/latest/meta-data/' })).toBe('url: resolves to 169.254.169.254, a link-local address; webhooks may only reach public addresses');
    expect(await bad({ url: 'http://[::ffff:127.0.0.1]/' })).toBe('url: resolves to ::ffff:7f00:1, an IPv4-mapped form of 127.0.0.1, a loopback address; webhooks may only reach public addresses');
    expect(await bad({ url: 'http://user:pw@example.com/' })).toBe('url: must not contain a user name or password');

    const created = await stack.call('/api/v1/webhooks', { token: creator.token, body: { url: `${receiver.url}/hooks/other` } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: `${receiver.url}/hooks/other`,
      events: ['clip.approved', 'clip.rejected', 'clip.released', 'clip.blocked', 'clip.failed'],
      scope: 'user',
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_/),
    });
    const { secret: _secret, ...shown } = created.body;
    expect((await stack.call('/api/v1/webhooks', { token: creator.token })).body).toEqual([shown]);
    expect((await stack.call('/api/v1/webhooks', { token: otherCreator.token })).body).toEqual([]);
    expect((await stack.call(`/api/v1/webhooks/${created.body.id}`, { token: otherCreator.token, method: 'DELETE' })).status).toBe(404);
    expect((await stack.call(`/api/v1/webhooks/${created.body.id}/deliveries`, { token: otherCreator.token })).status).toBe(404);
    const viaKey = await stack.call('/api/v1/webhooks', { headers: { 'x-api-key': apiKey }, body: { url: `${receiver.url}/hooks/other` } });
    expect(viaKey.body.scope).toBe('api_key');
    expect((await stack.call('/api/v1/webhooks', { headers: { 'x-api-key': apiKey } })).body.map((w: { id: string }) => w.id)).toEqual([viaKey.body.id]);
    for (const id of [created.body.id, viaKey.body.id]) expect((await stack.call(`/api/v1/webhooks/${id}`, { token: creator.token, method: 'DELETE' })).status).toBe(204);
    expect((await stack.call('/api/v1/webhooks', { token: creator.token })).body).toEqual([]);

    const audit = await stack.db((db) => db.query(`SELECT action, body FROM audit_events WHERE subject_type = 'webhook' ORDER BY id`).then((r) => r.rows));
    expect(audit.map((e) => e.action)).toEqual(['webhook.created', 'webhook.created', 'webhook.deleted', 'webhook.deleted']);
    expect(audit[0].body).toEqual({ scope: 'user', events: created.body.events, urlSha256: createHash('sha256').update(created.body.url).digest('hex') });
    expect(JSON.stringify(audit)).not.toContain(receiver.url);
    // The secret shown once is stored sealed, never in the clear.
    const stored = await stack.db((db) => db.query(`SELECT row_to_json(w)::text AS row FROM webhooks w`).then((r) => r.rows.map((x) => x.row).join('\n')));
    expect(stored).toContain(created.body.id);
    expect(stored).not.toContain(created.body.secret.slice(6));
  });

  it('tells the creator’s integration each outcome over SSE and signed webhooks, retrying failed deliveries', async () => {
    const register = (headers: Record<string, string>, path: string, events?: string[]) =>
      stack.call('/api/v1/webhooks', { headers, body: { url: `${receiver.url}${path}`, ...(events ? { events } : {}) } }).then((r) => r.body);
    const userHook = await register({ authorization: `Bearer ${creator.token}` }, '/hooks/flaky');
    const keyHook = await register({ 'x-api-key': apiKey }, '/hooks/key', ['clip.released']);
    const downHook = await register({ authorization: `Bearer ${otherCreator.token}` }, '/hooks/down');
    const creatorStream = follow(stack, creator.token);
    const otherStream = follow(stack, otherCreator.token);

    const submit = (headers: Record<string, string>, prompt: string) => stack.call('/api/v1/clips', { headers, body: { prompt } }).then((r) => r.body.id as string);
    const viaToken = await submit({ authorization: `Bearer ${creator.token}` }, 'a kite over a beach');
    const viaKey = await submit({ 'x-api-key': apiKey }, 'a kite over a lake');
    const others = await submit({ authorization: `Bearer ${otherCreator.token}` }, 'a kite over a field');
    for (const id of [viaToken, viaKey, others]) await stack.waitForState(id, admin, ['AWAITING_REVIEW']);
    const decide = async (id: string, decision: string, reasonCode: string) => {
      expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId: id } })).status).toBe(200);
      expect((await stack.call(`/api/v1/review/${id}/decision`, { token: reviewer.token, body: { decision, reasonCode } })).status).toBe(200);
    };
    await decide(viaToken, 'approve', 'APPROVE_POLICY_COMPLIANT');
    await decide(viaKey, 'approve', 'APPROVE_POLICY_COMPLIANT');
    await decide(others, 'reject', 'REJECT_DECEPTIVE');
    for (const id of [viaToken, viaKey]) expect((await stack.waitForState(id, admin, ['RELEASED', 'FAILED'])).state).toBe('RELEASED');

    const deliveries = (hook: { id: string }, token: Record<string, string>) =>
      stack.call(`/api/v1/webhooks/${hook.id}/deliveries`, { headers: token }).then((r) => r.body as any[]);
    const settled = (list: any[], n: number) => list.length === n && list.every((d) => d.status !== 'pending');
    await stack.waitFor(
      async () =>
        settled(await deliveries(userHook, { authorization: `Bearer ${creator.token}` }), 4) &&
        settled(await deliveries(keyHook, { 'x-api-key': apiKey }), 1) &&
        settled(await deliveries(downHook, { authorization: `Bearer ${otherCreator.token}` }), 1),
      30_000,
      'webhook deliveries to settle',
    );

    // The user's webhook hears every outcome of the user's clips; each first attempt failed and was retried.
    const userDeliveries = await deliveries(userHook, { authorization: `Bearer ${creator.token}` });
    expect(userDeliveries.map((d) => `${d.clipId === viaToken ? 'token' : 'key'} ${d.event}`).sort()).toEqual(['key clip.approved', 'key clip.released', 'token clip.approved', 'token clip.released']);
    for (const d of userDeliveries) {
      expect(d.status).toBe('delivered');
      expect(d.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
      expect(d.attempts[0].error).toBe('receiver answered 500');
    }
    // The key's webhook hears only the key's clip, and only the event it asked for.
    const keyDeliveries = await deliveries(keyHook, { 'x-api-key': apiKey });
    expect(keyDeliveries.map((d) => [d.clipId, d.event, d.status, d.attempts.length])).toEqual([[viaKey, 'clip.released', 'delivered', 1]]);
    // A receiver that keeps failing is given up on after WEBHOOK_MAX_ATTEMPTS, every attempt on record.
    const downDeliveries = await deliveries(downHook, { authorization: `Bearer ${otherCreator.token}` });
    expect(downDeliveries.map((d) => [d.clipId, d.event, d.status, d.attempts.map((a: { statusCode: number }) => a.statusCode)])).toEqual([[others, 'clip.rejected', 'failed', [503, 503, 503]]]);

    // Every request is signed over its exact body with the webhook's secret, and the same body is sent on retry.
    const secretFor: Record<string, string> = { '/hooks/flaky': userHook.secret, '/hooks/key': keyHook.secret, '/hooks/down': downHook.secret };
    const hookRequests = receiver.requests.filter((r) => r.path in secretFor);
    expect(hookRequests).toHaveLength(8 + 1 + 3);
    for (const req of hookRequests) {
      const body = req.body.toString('utf8');
      expect(verifyWebhookSignature(secretFor[req.path], body, String(req.headers['x-provenant-signature']))).toBe(true);
      expect(verifyWebhookSignature(secretFor[req.path === '/hooks/key' ? '/hooks/flaky' : '/hooks/key'], body, String(req.headers['x-provenant-signature']))).toBe(false);
      expect(JSON.parse(body).id).toBe(req.headers['x-provenant-delivery']);
    }
    const bodies = hookRequests.filter((r) => r.path === '/hooks/flaky').map((r) => JSON.parse(r.body.toString('utf8')));
    const released = bodies.find((b) => b.clipId === viaToken && b.event === 'clip.released');
    expect(released).toEqual({
      id: expect.any(String),
      event: 'clip.released',
      clipId: viaToken,
      state: 'RELEASED',
      occurredAt: expect.any(String),
      reasonCode: null,
      failureReason: null,
      release: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), signed: true, note: null, releasedAt: expect.any(String) },
    });
    expect(bodies.filter((b) => b.id === released.id)).toHaveLength(2);
    expect(bodies.find((b) => b.clipId === viaToken && b.event === 'clip.approved')).toMatchObject({ state: 'APPROVED', reasonCode: 'APPROVE_POLICY_COMPLIANT', release: null });
    const rejected = JSON.parse(hookRequests.find((r) => r.path === '/hooks/down')!.body.toString('utf8'));
    expect(rejected).toMatchObject({ event: 'clip.rejected', clipId: others, state: 'REJECTED', reasonCode: 'REJECT_DECEPTIVE' });

    // The event stream: decisions and state changes, each creator hearing only about their own clips.
    await stack.waitFor(async () => creatorStream.events.some((e) => e.clipId === viaKey && e.state === 'RELEASED'), 5_000, 'the SSE stream to report the release');
    await creatorStream.stop();
    await otherStream.stop();
    expect(creatorStream.events).toContainEqual({ clipId: viaToken, state: 'APPROVED', stage: null, at: expect.any(String), review: { decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', final: true } });
    expect(creatorStream.events.filter((e) => e.clipId === viaToken).map((e) => e.state)).toEqual(expect.arrayContaining(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']));
    expect(creatorStream.events.some((e) => e.clipId === others)).toBe(false);
    expect(otherStream.events).toContainEqual({ clipId: others, state: 'REJECTED', stage: null, at: expect.any(String), review: { decision: 'reject', reasonCode: 'REJECT_DECEPTIVE', final: true } });
    expect(otherStream.events.some((e) => e.clipId === viaToken || e.clipId === viaKey)).toBe(false);
  });
});
