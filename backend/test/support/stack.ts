import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';

// This file runs from test/ under Jest and from dist/test/ in `npm run bench`: find backend/ either way.
const BACKEND_ROOT = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../..' : '../..');
const DIST = join(BACKEND_ROOT, 'dist/src');
const SHARED_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

export interface StackOptions {
  workers?: number;
  /** Extra environment for both processes (e.g. REDIS_URL of a private redis-server). */
  env?: Record<string, string>;
  /** The Postgres server (a URL without a database) the stack's database is created on; default the shared 127.0.0.1:5432. */
  postgresServerUrl?: string;
}

export interface ApiCallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Another api process of this stack (startAnotherApi), instead of the first. */
  baseUrl?: string;
}

/**
 * Real api and worker processes (the built dist/, as `npm start` runs them)
 * on a database and queue prefix of their own, for integration tests.
 */
export class Stack {
  readonly workers: ChildProcess[] = [];
  api: ChildProcess | null = null;
  private readonly otherApis: ChildProcess[] = [];
  private readonly output: string[] = [];

  constructor(
    readonly baseUrl: string,
    readonly env: Record<string, string>,
    private readonly dbName: string,
    private readonly dataDir: string,
    private readonly postgresServerUrl: string,
  ) {}

  readonly admin = { email: 'admin@provenant.test', password: 'admin-password-for-tests' };

  static async start(options: StackOptions = {}): Promise<Stack> {
    if (!existsSync(join(DIST, 'main-api.js'))) throw new Error('backend is not built: run `npx nx run backend:build` (npm test does it)');
    const dbName = `provenant_stack_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const postgresServerUrl = options.postgresServerUrl ?? SHARED_POSTGRES;
    const admin = new Client({ connectionString: `${postgresServerUrl}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const databaseUrl = `${postgresServerUrl}/${dbName}`;
    await runMigrations(databaseUrl);
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'provenant-stack-'));
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      PORT: String(port),
      WORKER_PORT: '0',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: `pstack_${randomBytes(4).toString('hex')}`,
      DATA_DIR: dataDir,
      PROVENANT_ADMIN_EMAIL: 'admin@provenant.test',
      PROVENANT_ADMIN_PASSWORD: 'admin-password-for-tests',
      LOCAL_GENERATOR_SECONDS: '2',
      LOCAL_GENERATOR_SIZE: '320x240',
      STAGE_BACKOFF_MS: '200',
      OUTBOX_POLL_MS: '100',
      SHUTDOWN_GRACE_MS: '5000',
      LOG_LEVEL: 'info',
      ...options.env,
    };
    const stack = new Stack(`http://127.0.0.1:${port}`, env, dbName, dataDir, postgresServerUrl);
    stack.api = stack.spawn('main-api.js', 'api');
    for (let i = 0; i < (options.workers ?? 1); i++) stack.startWorker();
    try {
      await stack.waitFor(async () => (await fetch(`${stack.baseUrl}/health/live`).catch(() => null))?.ok === true, 90_000, 'api to listen'); // a loaded 2-core machine needs more than 30 s to boot Nest
    } catch (err) {
      await stack.stop(); // leave no processes or database behind
      throw err;
    }
    return stack;
  }

  /** `env` overrides the stack's for this worker alone, e.g. a WORKER_PORT of its own beside another worker. */
  startWorker(env: Record<string, string> = {}): ChildProcess {
    const worker = this.spawn('main-worker.js', `worker${this.workers.length}`, env);
    this.workers.push(worker);
    return worker;
  }

  startApi(): ChildProcess {
    this.api = this.spawn('main-api.js', 'api');
    return this.api;
  }

  /** One more api process, on a port of its own, sharing this stack's database, Redis and keys; returns its base URL. */
  async startAnotherApi(): Promise<string> {
    const port = await freePort();
    this.otherApis.push(this.spawn('main-api.js', `api${this.otherApis.length + 2}`, { PORT: String(port) }));
    const baseUrl = `http://127.0.0.1:${port}`;
    await this.waitFor(async () => (await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok === true, 90_000, 'another api to listen');
    return baseUrl;
  }

  private spawn(entry: string, label: string, env: Record<string, string> = {}): ChildProcess {
    const child = spawn(process.execPath, [join(DIST, entry)], { env: { ...process.env, ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) this.output.push(`[${label}] ${line}`);
      if (this.output.length > 2000) this.output.splice(0, this.output.length - 2000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    return child;
  }

  /** The last log lines of every process, for failure messages. */
  logs(lines = 80): string {
    return this.output.slice(-lines).join('\n');
  }

  async call<T = any>(path: string, options: ApiCallOptions = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const send = () => fetch(`${options.baseUrl ?? this.baseUrl}${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
    const res = await send().catch((err: Error & { cause?: { code?: string; message?: string } }) => {
      // A pooled keep-alive socket the api closed while this process was blocked (a spawnSync'd CLI)
      // fails before the request is sent; a fresh connection is the same request, not a repeat.
      if (err.cause?.code === 'UND_ERR_SOCKET' && err.cause.message === 'other side closed') return send();
      throw err;
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (metrics, files): keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /**
   * A GET on a worker's probe port: `env.WORKER_PORT` set at start (and one worker: they would share it),
   * or the port a worker was given with startWorker({ WORKER_PORT }).
   */
  async callWorker<T = any>(path: string, port = Number(this.env.WORKER_PORT), token?: string): Promise<{ status: number; body: T }> {
    if (!port) throw new Error('the stack runs with WORKER_PORT=0: start it with env.WORKER_PORT to reach the worker');
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
  }

  async login(email = this.admin.email, password = this.admin.password): Promise<string> {
    const res = await this.call<{ accessToken: string }>('/api/v1/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken;
  }

  /** Creates a user with these roles and returns its access token. */
  async userWithRoles(roles: string[], adminToken: string): Promise<{ id: string; token: string; email: string }> {
    const email = `${roles.join('-')}-${randomBytes(4).toString('hex')}@provenant.test`;
    const created = await this.call<{ id: string }>('/api/v1/users', { token: adminToken, body: { email, password: 'password-for-tests', roles } });
    if (created.status !== 201) throw new Error(`creating user failed: ${created.status} ${JSON.stringify(created.body)}`);
    return { id: created.body.id, email, token: await this.login(email, 'password-for-tests') };
  }

  async waitForState(clipId: string, token: string, states: string[], timeoutMs = 60_000): Promise<any> {
    let last: any = null;
    await this.waitFor(
      async () => {
        last = (await this.call(`/api/v1/clips/${clipId}`, { token })).body;
        return states.includes(last?.state);
      },
      timeoutMs,
      `clip ${clipId} to reach ${states.join('|')}`,
      () => `last seen: ${JSON.stringify(last?.state)} ${last?.failureReason ?? ''}`,
    );
    return last;
  }

  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, detail: () => string = () => ''): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}. ${detail()}\n--- process logs ---\n${this.logs()}`);
  }

  /** A direct connection to this stack's database, for assertions. */
  async db<T>(fn: (db: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.env.DATABASE_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    const all = [this.api, ...this.otherApis, ...this.workers].filter((c): c is ChildProcess => !!c && c.exitCode === null && c.signalCode === null);
    await Promise.all(
      all.map(
        (c) =>
          new Promise<void>((r) => {
            const timer = setTimeout(() => c.kill('SIGKILL'), 8000);
            c.once('exit', () => (clearTimeout(timer), r()));
            c.kill('SIGTERM');
          }),
      ),
    );
    const admin = new Client({ connectionString: `${this.postgresServerUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
    await admin.end();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

export function startStack(options?: StackOptions): Promise<Stack> {
  return Stack.start(options);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
    srv.on('error', reject);
  });
}
