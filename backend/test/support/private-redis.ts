import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { freePort } from './stack';

/**
 * A throw-away redis-server on a free port of 127.0.0.1 (no persistence), so
 * a test can take Redis away or empty it for real without touching the
 * shared instance on 6379. Call `stop()` in afterAll.
 */
export class PrivateRedis {
  private process: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  /** Starts (again, on the same port, empty) and resolves once it accepts connections. */
  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const accepting = await new Promise<boolean>((resolve) => {
        const socket = connect(this.port, '127.0.0.1', () => (socket.end(), resolve(true)));
        socket.on('error', () => resolve(false));
      });
      if (accepting) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('redis-server did not start');
  }

  /** Kills the server (SIGKILL: gone at once, as in a crash). */
  async stop(): Promise<void> {
    const running = this.process;
    this.process = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => (running.once('exit', () => resolve()), running.kill('SIGKILL')));
  }

  /** FLUSHALL: every key of every database gone, as after a failover to an empty replica. */
  async flushAll(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }
}
