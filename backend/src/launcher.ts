import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfigOrExit } from './config/app-config';
import { runMigrations } from './database/migrate';

/**
 * `npm start`: one command for a local install. Creates the database if it
 * does not exist, applies migrations, then runs one api and one worker
 * process and stops both when either stops or on Ctrl-C.
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

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  await ensureDatabase(config.DATABASE_URL);
  const applied = await runMigrations(config.DATABASE_URL);
  if (applied.length) process.stdout.write(`applied migrations: ${applied.join(', ')}\n`);

  const children: ChildProcess[] = ['main-api.js', 'main-worker.js'].map((entry) =>
    spawn(process.execPath, [join(__dirname, entry)], { stdio: 'inherit', env: process.env }),
  );
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() => process.exit(code));
  };
  for (const c of children) c.once('exit', (code) => stop(code ?? 1));
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.stdout.write(`Provenant: console and API on http://localhost:${config.PORT}/ (API docs at /api/docs)\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`provenant: could not start: ${err.message}\n`);
  process.exit(1);
});
