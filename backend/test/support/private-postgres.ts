import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './stack';

const run = promisify(execFile);

/** The newest installed PostgreSQL's binaries (Debian layout), unless PG_BIN names a directory. */
function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))) : [];
  if (versions.length === 0) throw new Error('no PostgreSQL binaries found: install postgresql or set PG_BIN');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** Postgres refuses to run as root: as root, run its tools as the `postgres` OS user. */
const asRoot = process.getuid?.() === 0;
const POSTGRES_USER = 'postgres';

/**
 * A throw-away PostgreSQL cluster on a free port of 127.0.0.1 (trust auth,
 * no fsync), so a test can stop and restart the database for real without
 * touching the shared instance. Call `destroy()` in afterAll: it stops the
 * cluster and deletes its directory.
 */
export class PrivatePostgres {
  private running = false;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** The server's URL without a database, as StackOptions.postgresServerUrl takes it. */
  get serverUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}`;
  }

  /** A URL for one database of this cluster. */
  url(database = 'postgres'): string {
    return `${this.serverUrl}/${database}`;
  }

  get isRunning(): boolean {
    return this.running;
  }

  static async create(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'provenant-pg-'));
    const cluster = new PrivatePostgres(dir, await freePort(), postgresBinDir());
    try {
      if (asRoot) {
        const [uid, gid] = await Promise.all([run('id', ['-u', POSTGRES_USER]), run('id', ['-g', POSTGRES_USER])]);
        chownSync(dir, Number(uid.stdout), Number(gid.stdout));
      }
      await cluster.tool('initdb', ['-D', cluster.dataDir, '--auth=trust', `--username=${POSTGRES_USER}`, '--encoding=UTF8', '--no-sync', '--no-instructions']);
      await cluster.start();
      return cluster;
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
  }

  /** Starts (or restarts) the cluster and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [`-p ${this.port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${this.dir}`, '-c fsync=off'].join(' ');
    await this.tool('pg_ctl', ['start', '-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', '-o', options]);
    this.running = true;
  }

  /** `immediate` is a crash as far as clients see it: every connection drops at once, and the next start recovers from the WAL. */
  async stop(mode: 'immediate' | 'fast' = 'fast'): Promise<void> {
    await this.tool('pg_ctl', ['stop', '-D', this.dataDir, '-m', mode, '-w', '-t', '60']);
    this.running = false;
  }

  /** Stops the cluster if it runs and deletes its directory; never throws, so afterAll can always call it. */
  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The server log, for failure messages. */
  async log(): Promise<string> {
    return readFile(this.logFile, 'utf8').catch(() => '');
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private get logFile(): string {
    return join(this.dir, 'server.log');
  }

  private async tool(name: string, args: string[]): Promise<void> {
    const path = join(this.bin, name);
    const [file, argv] = asRoot ? ['runuser', ['-u', POSTGRES_USER, '--', path, ...args]] : [path, args];
    try {
      await run(file, argv, { cwd: this.dir });
    } catch (err) {
      const e = err as Error & { stderr?: string };
      throw new Error(`${name} ${args[0]} failed: ${e.stderr || e.message}\n${await this.log()}`);
    }
  }
}
