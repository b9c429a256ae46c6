import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';

// Where the SQL is: each repository's statements, snapshotted so that a change to a query shows in review,
// and prepared against the migrated schema so that a statement the schema no longer supports fails here.
const MODULES = join(__dirname, '../../src/modules');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const sources = files(MODULES).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
const repositoryFiles = sources.filter((f) => f.endsWith('.repository.ts'));

function statementsOf(file: string): Record<string, string> {
  const exported = require(file) as Record<string, unknown>;
  const classes = Object.entries(exported).filter(([, v]) => typeof v === 'function' && typeof (v as { sql?: unknown }).sql === 'object');
  return Object.fromEntries(classes.flatMap(([name, cls]) => Object.entries((cls as { sql: Record<string, string> }).sql).map(([k, sql]) => [`${name}.${k}`, sql])));
}

describe('repository SQL', () => {
  it('is written only in repository files', () => {
    const outside = sources.filter((f) => !f.endsWith('.repository.ts') && /\.query\(/.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(MODULES, f))).toEqual([]);
  });

  it.each(repositoryFiles.map((f) => [relative(MODULES, f), f]))('%s declares its statements and they match the snapshot', (_name, file) => {
    const statements = statementsOf(file);
    expect(Object.keys(statements).length).toBeGreaterThan(0);
    expect(statements).toMatchSnapshot();
  });

  it('every statement prepares against the migrated schema', async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const failures: string[] = [];
      for (const file of repositoryFiles) {
        for (const [name, sql] of Object.entries(statementsOf(file))) {
          // LISTEN cannot be prepared; it names no table or column.
          if (/^\s*LISTEN\b/.test(sql)) continue;
          await db.query(`PREPARE check_statement AS ${sql}`).then(
            () => db.query('DEALLOCATE check_statement'),
            (err: Error) => failures.push(`${name}: ${err.message}`),
          );
        }
      }
      expect(failures).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
