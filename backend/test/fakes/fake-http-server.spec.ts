import { FakeHttpServer } from './fake-http-server';

describe('FakeHttpServer', () => {
  let server: FakeHttpServer;

  beforeEach(async () => {
    server = await FakeHttpServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  it('routes by method and path, records the request and returns JSON', async () => {
    server.route('POST', /^\/v1\/items\/(\w+)$/, (req, body, match) => ({
      status: 201,
      json: { id: match[1], echoed: body.toString('utf8'), q: req.query.get('q') },
      headers: { 'x-fake': 'yes' },
    }));

    const res = await fetch(`${server.url}/v1/items/abc?q=1`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: 'Bearer k' },
      body: 'hello',
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('x-fake')).toBe('yes');
    expect(await res.json()).toEqual({ id: 'abc', echoed: 'hello', q: '1' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/items/abc' });
    expect(server.requests[0].headers.authorization).toBe('Bearer k');
    expect(server.requests[0].body.toString()).toBe('hello');
  });

  it('lets a later route override an earlier one and answers 404 when nothing matches', async () => {
    server.route('GET', '/thing', () => ({ text: 'first' }));
    server.route('GET', '/thing', () => ({ buffer: Buffer.from([1, 2, 3]) }));

    const overridden = await fetch(`${server.url}/thing`);
    expect(Buffer.from(await overridden.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
    expect(overridden.headers.get('content-type')).toBe('application/octet-stream');

    const missing = await fetch(`${server.url}/thing`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect(server.requestsTo('GET', /^\/thing$/)).toHaveLength(1);
  });

  it('delays answers, reports handler errors as 500 and closes despite hung requests', async () => {
    server.route('GET', '/slow', () => ({ json: { ok: true }, delayMs: 150 }));
    server.route('GET', '/boom', () => {
      throw new Error('scripted failure');
    });
    server.route('GET', '/hang', () => ({ hang: true }));

    const started = Date.now();
    const slow = await fetch(`${server.url}/slow`);
    expect(await slow.json()).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const boom = await fetch(`${server.url}/boom`);
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await boom.json())).toContain('scripted failure');

    const hung = fetch(`${server.url}/hang`).then(
      () => 'answered',
      () => 'dropped',
    );
    await waitFor(() => server.requestsTo('GET', /^\/hang$/).length === 1);
    await server.close();
    expect(await hung).toBe('dropped');
    server = await FakeHttpServer.start(); // afterEach closes it
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not met in time');
}
