import { Client } from 'pg';
import Redis from 'ioredis';

export default async function globalTeardown(): Promise<void> {
  const dbName = process.env.TEST_DATABASE_NAME;
  if (!dbName) return;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  // Drop this run's queues so Redis does not accumulate test jobs.
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = await redis.keys(`${process.env.QUEUE_PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
  } catch {
    // Redis being down must not fail the run after the tests passed.
  } finally {
    redis.disconnect();
  }
}
