import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfigOrExit, type AppConfig } from './config/app-config';
import { EXIT_CODE, SETTING_EXIT_CODES } from './config/exit-codes';
import { runMigrations } from './database/migrate';
import { RestartPolicy } from './restart-policy';

/**
 * `npm start`: one command for a local install. Creates the database if it
 * does not exist, applies migrations, then runs one api and one worker
 * process. A child that crashes is restarted (after a delay, and said so on
 * stderr) while the other keeps running; a child in a crash loop, or one
 * that stops over a setting (a bad value, a taken port), stops both.
 */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      process.stdout.write(`created database ${name}\n`);
    }
  } finally {
    await admin.end();
  }
}

const CHILDREN = { api: 'main-api.js', worker: 'main-worker.js' } as const;
type ChildName = keyof typeof CHILDREN;

function supervise(config: AppConfig): void {
  const running = new Map<ChildName, ChildProcess>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let stopping = false;

  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const timer of pendingRestarts) clearTimeout(timer);
    const alive = [...running.values()].filter((c) => c.exitCode === null && c.signalCode === null);
    for (const c of alive) c.kill('SIGTERM');
    Promise.all(alive.map((c) => new Promise((r) => c.once('exit', r)))).then(() => process.exit(code));
  };

  const start = (name: ChildName, policy: RestartPolicy) => {
    const child = spawn(process.execPath, [join(__dirname, CHILDREN[name])], { stdio: 'inherit', env: process.env });
    running.set(name, child);
    process.stdout.write(`provenant: started ${name} (pid ${child.pid})\n`);
    child.once('exit', (code, signal) => {
      running.delete(name);
      if (stopping) return;
      // The child already printed the setting to change; a restart would only repeat it.
      if (code !== null && SETTING_EXIT_CODES.includes(code)) return stop(code);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const decision = policy.crashed();
      const window = `${config.LAUNCHER_CRASH_LOOP_WINDOW_MS / 1000} s`;
      if (!decision.restart) {
        process.stderr.write(`provenant: ${name} (pid ${child.pid}) ${how}: ${decision.recentCrashes} crashes within ${window}, giving up (exit ${EXIT_CODE.crashLoop})\n`);
        return stop(EXIT_CODE.crashLoop);
      }
      process.stderr.write(
        `provenant: ${name} (pid ${child.pid}) ${how}; restarting it in ${decision.delayMs} ms (crash ${decision.recentCrashes} of at most ${config.LAUNCHER_CRASH_LOOP_RESTARTS} within ${window})\n`,
      );
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer);
        start(name, policy);
      }, decision.delayMs);
      pendingRestarts.add(timer);
    });
  };

  const restartOptions = { delayMs: config.LAUNCHER_RESTART_DELAY_MS, restarts: config.LAUNCHER_CRASH_LOOP_RESTARTS, windowMs: config.LAUNCHER_CRASH_LOOP_WINDOW_MS };
  for (const name of Object.keys(CHILDREN) as ChildName[]) start(name, new RestartPolicy(restartOptions));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await ensureDatabase(config.DATABASE_URL);
  const applied = await runMigrations(config.DATABASE_URL);
  if (applied.length) process.stdout.write(`applied migrations: ${applied.join(', ')}\n`);
  supervise(config);
  process.stdout.write(`Provenant: console and API on http://localhost:${config.PORT}/ (API docs at /api/docs)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`provenant: could not start: ${err.message}\n`);
  process.exit(1);
});
