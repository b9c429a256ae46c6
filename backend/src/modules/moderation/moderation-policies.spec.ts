import { BadRequestException, ConflictException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ModerationPolicy } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { canonicalJson } from '../../engines/merkle-log';
import { DEFAULT_MODERATION_POLICY } from '../../engines/moderation';
import { AuditLog } from '../audit/audit-log';
import { ModerationPolicies, policySha256 } from './moderation-policies';
import { ModerationPolicyRepository } from './moderation-policy.repository';

/** Policy versions on the real Postgres of the test run (the only suite that stores policies). */
describe('ModerationPolicies on real Postgres', () => {
  let dataSource: DataSource;
  let policies: ModerationPolicies;
  const run = randomBytes(3).toString('hex');
  const version = (name: string) => `${name}-${run}`;
  const policy = (name: string, change: Partial<ModerationPolicy> = {}): ModerationPolicy => ({ ...JSON.parse(JSON.stringify(DEFAULT_MODERATION_POLICY)), version: version(name), ...change });
  const refusal = async (work: Promise<unknown>) => work.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as Error);

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    policies = new ModerationPolicies(dataSource, new AuditLog(), new ModerationPolicyRepository(), loadConfig({}));
  });
  afterAll(() => dataSource.destroy());

  it('hashes the canonical JSON of a document, whatever its key order', () => {
    const reordered = JSON.parse(JSON.stringify({ onProviderOutage: 'fail', frames: DEFAULT_MODERATION_POLICY.frames, categories: DEFAULT_MODERATION_POLICY.categories, version: DEFAULT_MODERATION_POLICY.version }));
    expect(policySha256(reordered)).toBe(policySha256(DEFAULT_MODERATION_POLICY));
    expect(policySha256(DEFAULT_MODERATION_POLICY)).toBe(createHash('sha256').update(canonicalJson(DEFAULT_MODERATION_POLICY)).digest('hex'));
  });

  it('refuses invalid documents with a 400 listing every problem, and the sexual/minors floor with a 400 naming it', async () => {
    const invalid = await refusal(policies.replace({ ...policy('invalid'), frames: { consecutiveToBlock: 0, consecutiveToReview: 1 }, extra: true }, 'user:x'));
    expect(invalid).toBeInstanceOf(BadRequestException);
    expect(invalid.message).toContain('frames.consecutiveToBlock');
    expect(invalid.message).toContain('extra');
    const lenient = policy('lenient');
    lenient.categories['sexual/minors'] = { review: 0.3, block: null };
    const floor = await refusal(policies.replace(lenient, 'user:x'));
    expect(floor).toBeInstanceOf(BadRequestException);
    expect(floor.message).toBe('categories.sexual/minors.block: must be at most 0.5 (a hard floor no policy can loosen), got null');
    expect(await refusal(policies.replace('not a policy', 'user:x'))).toBeInstanceOf(BadRequestException);
  });

  it('stores versions in order, each audited with its digest and the version it replaced, and never reuses a version', async () => {
    const before = await policies.describe();
    const first = await policies.replace(policy('first', { onProviderOutage: 'fallback_local' }), 'user:alice');
    expect(first).toMatchObject({ version: version('first'), source: 'stored', setBy: 'user:alice', sha256: policySha256(policy('first', { onProviderOutage: 'fallback_local' })) });
    expect(await policies.current()).toEqual({ policy: policy('first', { onProviderOutage: 'fallback_local' }), sha256: first.sha256 });
    const second = await policies.replace(policy('second'), 'user:bob');
    expect((await policies.describe()).version).toBe(version('second'));

    for (const reused of [policy('first'), { ...DEFAULT_MODERATION_POLICY }]) {
      expect(await refusal(policies.replace(reused, 'user:alice'))).toBeInstanceOf(ConflictException);
    }
    const events = await dataSource.query(
      `SELECT actor, subject_id, body FROM audit_events WHERE action = 'moderation.policy_changed' AND subject_id = ANY($1) ORDER BY id`,
      [[version('first'), version('second')]],
    );
    expect(events).toEqual([
      { actor: 'user:alice', subject_id: version('first'), body: { version: version('first'), sha256: first.sha256, previousVersion: before.version, previousSha256: before.sha256 } },
      { actor: 'user:bob', subject_id: version('second'), body: { version: version('second'), sha256: second.sha256, previousVersion: version('first'), previousSha256: first.sha256 } },
    ]);
  });

  it('serialises concurrent changes, so each audit event names the version it really replaced', async () => {
    const names = ['c1', 'c2', 'c3', 'c4'];
    await Promise.all(names.map((n) => policies.replace(policy(n), 'user:carol')));
    const events: { body: { version: string; previousVersion: string } }[] = await dataSource.query(
      `SELECT body FROM audit_events WHERE action = 'moderation.policy_changed' AND subject_id = ANY($1) ORDER BY id`,
      [names.map(version)],
    );
    const stored: { version: string }[] = await dataSource.query(`SELECT version FROM moderation_policies WHERE version = ANY($1) ORDER BY seq`, [names.map(version)]);
    expect(events.map((e) => e.body.version)).toEqual(stored.map((s) => s.version));
    for (let i = 1; i < events.length; i++) expect(events[i].body.previousVersion).toBe(events[i - 1].body.version);
  });

  it('keeps stored versions immutable, and works under the application role, which may only read and add them', async () => {
    await expect(dataSource.query(`UPDATE moderation_policies SET document = '{}' WHERE version = $1`, [version('first')])).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM moderation_policies WHERE version = $1`, [version('first')])).rejects.toThrow(/append-only/);

    const role = `ptest_app_${run}`;
    await dataSource.query(`CREATE ROLE ${role} LOGIN IN ROLE provenant_app`);
    const app = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL!.replace('postgres@', `${role}@`) }).initialize();
    try {
      const asApp = new ModerationPolicies(app, new AuditLog(), new ModerationPolicyRepository(), loadConfig({}));
      expect((await asApp.replace(policy('as-app'), 'user:dave')).version).toBe(version('as-app'));
      await expect(app.query(`UPDATE moderation_policies SET set_by = 'x'`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.destroy();
      await dataSource.query(`DROP ROLE ${role}`);
    }
  });
});
