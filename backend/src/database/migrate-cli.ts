import { loadConfigOrExit } from '../config/app-config';
import { runMigrations } from './migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
const config = loadConfigOrExit();
runMigrations(config.DATABASE_URL).then(
  (applied) => {
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  },
  (err: Error) => {
    process.stderr.write(`provenant: migration failed: ${err.message}\n`);
    process.exit(1);
  },
);
