import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort, startStack, type Stack } from '../support/stack';

/** The address a listening TCP socket on this port is bound to, as Linux lists it in /proc/net/tcp (e.g. "127.0.0.1"). */
function listeningAddress(port: number): string | null {
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (!local || state !== '0A') continue; // 0A: LISTEN
    const [hexAddress, hexPort] = local.split(':');
    if (parseInt(hexPort, 16) !== port) continue;
    return (hexAddress.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)).join('.');
  }
  return null;
}

/**
 * The worker's probe port serves /health/* to anyone (it listens on loopback by default) and /metrics
 * only to the credential the api's /metrics asks for: an admin's access token.
 */
describe('worker probe port', () => {
  let stack: Stack;
  let admin: string;
  const workerPort = (stack: Stack) => Number(stack.env.WORKER_PORT);
  beforeAll(async () => {
    stack = await startStack({ workers: 1, env: { WORKER_PORT: String(await freePort()) } });
    admin = await stack.login();
    await stack.waitFor(async () => (await stack.callWorker('/health/live')).status === 200, 30_000, 'the worker probe port to answer');
  });
  afterAll(() => stack?.stop());

  it('listens on 127.0.0.1 by default and on WORKER_HOST when set', async () => {
    expect(listeningAddress(workerPort(stack))).toBe('127.0.0.1');
    const port = await freePort();
    const exposed = stack.startWorker({ WORKER_PORT: String(port), WORKER_HOST: '0.0.0.0' });
    try {
      await stack.waitFor(async () => (await stack.callWorker('/health/live', port)).status === 200, 30_000, 'the second worker to answer');
      expect(listeningAddress(port)).toBe('0.0.0.0');
    } finally {
      exposed.kill('SIGTERM');
    }
  }, 60_000);

  it('answers /metrics 401 without a credential, 403 to a non-admin, and the metrics to an admin', async () => {
    const reviewer = await stack.userWithRoles(['reviewer', 'compliance'], admin);
    expect(await stack.callWorker('/metrics')).toEqual({ status: 401, body: { statusCode: 401, message: 'missing or invalid credentials' } });
    expect((await stack.callWorker('/metrics', workerPort(stack), 'not-a-token')).status).toBe(401);
    expect(await stack.callWorker('/metrics', workerPort(stack), reviewer.token)).toEqual({ status: 403, body: { statusCode: 403, message: 'requires one of the roles: admin' } });
    const metrics = await stack.callWorker<string>('/metrics', workerPort(stack), admin);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# HELP /m);
    expect((await stack.callWorker('/health/live')).status).toBe(200); // probes stay open
  });

  it('stops with exit code 69 and one line on stderr naming WORKER_PORT when that port is taken', async () => {
    const taken = await freePort();
    const blocker = await new Promise<ReturnType<typeof createServer>>((r) => { const s = createServer().listen(taken, '127.0.0.1', () => r(s)); });
    try {
      const run = spawnSync(process.execPath, [join(resolve(__dirname, '../../dist/src'), 'main-worker.js')], {
        env: { ...process.env, ...stack.env, WORKER_PORT: String(taken) },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.status).toBe(69);
      expect(run.stderr.trim().split('\n')).toEqual([`provenant: WORKER_PORT=${taken} is already in use on 127.0.0.1; stop the other process or set WORKER_PORT to a free port`]);
    } finally {
      blocker.close();
    }
  });
});
