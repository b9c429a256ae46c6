import { DataSource } from 'typeorm';
import { migrations } from './migrations';

// Arbitrary constant: serialises migration runs when several processes start at once.
const MIGRATION_LOCK_KEY = 7_305_161_001;

/** Applies pending migrations and returns their names; concurrent callers wait for each other. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const ds = new DataSource({ type: 'postgres', url: databaseUrl, migrations, logging: false });
  await ds.initialize();
  const lock = ds.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
}
