import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/stack';

const DIST = resolve(__dirname, '../../dist/src');
const POSTGRES = 'postgres://postgres@127.0.0.1:5432';

/** `npm start`'s launcher (built dist/) on a database of its own, which it creates and migrates itself. */
class Launcher {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private constructor(readonly process: ChildProcess) {
    process.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    process.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((r) => process.once('exit', (code) => r(code)));
  }

  static start(env: Record<string, string>): Launcher {
    return new Launcher(spawn(process.execPath, [join(DIST, 'launcher.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** Pids of every start of this child, in order. */
  pids(name: 'api' | 'worker'): number[] {
    return [...this.stdout.matchAll(new RegExp(`provenant: started ${name} \\(pid (\\d+)\\)`, 'g'))].map((m) => Number(m[1]));
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGTERM');
    await this.exited;
  }
}

async function until<T>(get: () => T | Promise<T>, what: string, launcher: Launcher, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await Promise.resolve(get()).catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}\n--- stdout (tail) ---\n${launcher.stdout.slice(-3000)}\n--- stderr ---\n${launcher.stderr}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const live = async (port: number) => (await fetch(`http://127.0.0.1:${port}/health/live`)).ok;
const holdPort = (port: number, host: string) => new Promise<Server>((r) => { const s = createServer().listen(port, host, () => r(s)); });

describe('npm start (the launcher)', () => {
  const databases: string[] = [];
  const dataDirs: string[] = [];
  const launchers: Launcher[] = [];

  async function launch(env: Record<string, string> = {}): Promise<{ launcher: Launcher; port: number; workerPort: number }> {
    const database = `provenant_launcher_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'provenant-launcher-'));
    databases.push(database);
    dataDirs.push(dataDir);
    const [port, workerPort] = [await freePort(), await freePort()];
    const launcher = Launcher.start({
      NODE_ENV: 'test',
      PORT: String(port),
      WORKER_PORT: String(workerPort),
      DATABASE_URL: `${POSTGRES}/${database}`,
      QUEUE_PREFIX: `plaunch_${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      LAUNCHER_RESTART_DELAY_MS: '100',
      ...env,
    });
    launchers.push(launcher);
    return { launcher, port, workerPort };
  }

  afterAll(async () => {
    await Promise.all(launchers.map((l) => l.stop()));
    const admin = new Client({ connectionString: `${POSTGRES}/postgres` });
    await admin.connect();
    for (const db of databases) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
    await Promise.all(dataDirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('restarts a killed worker after the delay, says so on stderr, and the api keeps answering throughout', async () => {
    const { launcher, port, workerPort } = await launch();
    const [firstWorker] = await until(() => (launcher.pids('worker').length ? launcher.pids('worker') : null), 'the worker to start', launcher);
    await until(() => live(port), 'the api to answer', launcher);
    await until(() => live(workerPort), 'the worker to answer', launcher);

    process.kill(firstWorker, 'SIGKILL');
    const apiAnswers: boolean[] = [];
    const secondWorker = await until(
      async () => {
        apiAnswers.push(await live(port).catch(() => false));
        const pids = launcher.pids('worker');
        return pids.length === 2 && (await live(workerPort).catch(() => false)) ? pids[1] : null;
      },
      'the worker to be restarted and answer',
      launcher,
    );

    expect(secondWorker).not.toBe(firstWorker);
    expect(launcher.stderr).toContain(`provenant: worker (pid ${firstWorker}) was killed by SIGKILL; restarting it in 100 ms (crash 1 of at most 5 within 60 s)`);
    expect(apiAnswers.length).toBeGreaterThan(0);
    expect(apiAnswers.every(Boolean)).toBe(true);
    expect(launcher.pids('api')).toHaveLength(1);
    expect(alive(launcher.pids('api')[0])).toBe(true);
    expect(launcher.process.exitCode).toBeNull();
  }, 120_000);

  it('gives up with exit code 70 when the worker crashes more than LAUNCHER_CRASH_LOOP_RESTARTS times in the window, and stops the api', async () => {
    const { launcher, port } = await launch({ LAUNCHER_CRASH_LOOP_RESTARTS: '2', LAUNCHER_CRASH_LOOP_WINDOW_MS: '60000', LAUNCHER_RESTART_DELAY_MS: '50' });
    await until(() => live(port), 'the api to answer', launcher);
    for (let start = 1; start <= 3; start++) {
      const pid = await until(() => launcher.pids('worker')[start - 1], `worker start ${start}`, launcher);
      process.kill(pid, 'SIGKILL');
    }
    expect(await launcher.exited).toBe(70);
    expect(launcher.stderr).toMatch(/provenant: worker \(pid \d+\) was killed by SIGKILL: 3 crashes within 60 s, giving up \(exit 70\)/);
    expect(launcher.pids('worker')).toHaveLength(3);
    expect(alive(launcher.pids('api')[0])).toBe(false);
  }, 120_000);

  it.each([
    ['WORKER_PORT', '127.0.0.1'],
    ['PORT', '0.0.0.0'],
  ] as const)('stops with exit code 69 and exactly one line on stderr naming %s when that port is taken', async (setting, host) => {
    const taken = await freePort();
    const blocker = await holdPort(taken, host);
    try {
      const { launcher } = await launch({ [setting]: String(taken) });
      expect(await launcher.exited).toBe(69);
      expect(launcher.stderr.trim().split('\n')).toEqual([
        `provenant: ${setting}=${taken} is already in use on ${host}; stop the other process or set ${setting} to a free port`,
      ]);
      for (const pid of [...launcher.pids('api'), ...launcher.pids('worker')]) expect(alive(pid)).toBe(false);
      expect(launcher.pids(setting === 'PORT' ? 'api' : 'worker')).toHaveLength(1); // not restarted
    } finally {
      blocker.close();
    }
  }, 120_000);
});
