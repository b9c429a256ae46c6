import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';

/**
 * One fresh Postgres database and one Redis key prefix per test run, so runs
 * never see each other's rows or jobs. The name is handed to the test
 * workers (and the processes they start) through the environment.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `provenant_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  process.env.DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_NAME = dbName;
  process.env.QUEUE_PREFIX = `ptest_${dbName.slice(-12)}`;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  await runMigrations(process.env.DATABASE_URL);
}
