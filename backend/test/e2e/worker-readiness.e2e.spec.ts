import { freePort, startStack, type Stack } from '../support/stack';

const API_READY = { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } };

/**
 * A fresh worker loads its moderation models in the background at start:
 * its /health/ready answers 503 with `models: "loading"` until they are
 * loaded, then 200. The api, which never moderates, has no models check.
 */
describe('worker readiness waits for the moderation models', () => {
  let stack: Stack;
  beforeAll(async () => {
    // No worker yet: the test starts it and watches it from its first answer.
    stack = await startStack({ workers: 0, env: { WORKER_PORT: String(await freePort()) } });
  });
  afterAll(() => stack?.stop());

  it('is 503 with models loading right after start and 200 once they are loaded; the api never reports models', async () => {
    stack.startWorker();
    let first: { status: number; body: any } | null = null;
    await stack.waitFor(async () => !!(first = await stack.callWorker('/health/ready')), 30_000, 'the worker probe port to answer');
    expect(first).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { models: 'loading' } } });
    expect((await stack.call('/health/ready')).body).toEqual(API_READY);

    await stack.waitFor(async () => (await stack.callWorker('/health/ready')).status === 200, 120_000, 'the worker to load its models');
    expect((await stack.callWorker('/health/ready')).body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok', models: 'ok' } });
    expect((await stack.call('/health/ready')).body).toEqual(API_READY);
    expect(stack.logs(2000)).toMatch(/\[worker0\].*moderation models loaded/);
  }, 180_000);
});
