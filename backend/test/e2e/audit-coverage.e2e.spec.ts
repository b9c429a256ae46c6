import { createHash } from 'node:crypto';
import { verifyExport } from '../../src/engines/merkle-log';
import { startStack, type Stack } from '../support/stack';

/**
 * Reading the log is on the record too: searches, timelines and exports are
 * audited, and requests the role guard refuses are counted per caller and
 * route. An export of any range proves against a checkpoint that already
 * exists, so asking for many ranges signs nothing new.
 */
describe('audit coverage of reads and refusals', () => {
  let stack: Stack;
  let admin: string;
  let compliance: { id: string; token: string };
  let creator: { id: string; token: string };
  const eventsOf = (action: string) =>
    stack.db((db) => db.query(`SELECT actor, subject_type AS "subjectType", subject_id AS "subjectId", body FROM audit_events WHERE action = $1 ORDER BY id`, [action]).then((r) => r.rows));

  beforeAll(async () => {
    // A flush window wide enough that the three refused reads fall in one (a window boundary between them splits the count).
    stack = await startStack({ workers: 0, env: { ACCESS_DENIED_FLUSH_MS: '3000' } });
    admin = await stack.login();
    compliance = await stack.userWithRoles(['compliance'], admin);
    creator = await stack.userWithRoles(['creator'], admin);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('counts refused requests per caller and route in one event, not one row per request', async () => {
    for (let i = 0; i < 3; i++) expect((await stack.call('/api/v1/audit/events', { token: creator.token })).status).toBe(403);
    expect((await stack.call('/api/v1/users', { token: creator.token })).status).toBe(403);
    expect((await stack.call(`/api/v1/audit/clips/${creator.id}/timeline`, { token: creator.token })).status).toBe(403);
    await stack.waitFor(async () => (await eventsOf('access.denied')).length >= 3, 10_000, 'denials to be audited');
    const denied = await eventsOf('access.denied');
    const byRoute = Object.fromEntries(denied.map((e: any) => [`${e.body.method} ${e.body.route}`, e]));
    expect(Object.keys(byRoute).sort()).toEqual(['GET /api/v1/audit/clips/:id/timeline', 'GET /api/v1/audit/events', 'GET /api/v1/users']);
    expect(byRoute['GET /api/v1/audit/events']).toMatchObject({ actor: `user:${creator.id}`, subjectType: 'user', subjectId: creator.id, body: { count: 3 } });
    expect(byRoute['GET /api/v1/users'].body.count).toBe(1);
    const { firstAt, lastAt } = byRoute['GET /api/v1/audit/events'].body;
    expect(Date.parse(lastAt)).toBeGreaterThanOrEqual(Date.parse(firstAt));
  });

  it('records who searched the log for what, hashing free text', async () => {
    const filters = `actor=user:${creator.id}&action=clip.submitted&from=2026-01-01T00:00:00Z`;
    expect((await stack.call(`/api/v1/audit/events?${filters}`, { token: compliance.token })).status).toBe(200);
    expect((await stack.call(`/api/v1/audit/events?actor=${encodeURIComponent('Jane Example <jane@example.com>')}`, { token: compliance.token })).status).toBe(200);
    expect((await stack.call(`/api/v1/audit/clips/${creator.id}/timeline`, { token: compliance.token })).status).toBe(200);
    // A refused search is not a search.
    expect((await stack.call('/api/v1/audit/events?from=yesterday', { token: compliance.token })).status).toBe(400);

    const searches = (await eventsOf('audit.searched')).filter((e: any) => e.actor === `user:${compliance.id}`);
    expect(searches.map((e: any) => e.body)).toEqual([
      { clipId: null, actor: `user:${creator.id}`, action: 'clip.submitted', from: '2026-01-01T00:00:00Z', to: null, cursor: null },
      { clipId: null, actor: `sha256:${createHash('sha256').update('Jane Example <jane@example.com>').digest('hex')}`, action: null, from: null, to: null, cursor: null },
      { clipId: creator.id, actor: null, action: null, from: null, to: null, cursor: null },
    ]);
    expect(JSON.stringify(searches)).not.toContain('jane@example.com');
  });

  it('exports any range against an existing checkpoint: no new signature per request, and each export is audited', async () => {
    // A search sequences and signs what came before it.
    await stack.call('/api/v1/audit/events?limit=1', { token: compliance.token });
    await stack.waitFor(async () => (await stack.call('/api/v1/audit/checkpoints/latest', { token: compliance.token })).body.treeSize >= 10, 20_000, 'a checkpoint of 10 events');
    const latest = (await stack.call('/api/v1/audit/checkpoints/latest', { token: compliance.token })).body.treeSize as number;
    const sizes = (): Promise<number[]> => stack.db((db) => db.query('SELECT tree_size::int AS n FROM audit_checkpoints').then((r) => r.rows.map((x: any) => x.n)));
    const before = new Set(await sizes());
    const publicKey = (await stack.call('/api/v1/audit/public-key')).body as string;
    for (const to of [3, 5, 7, 9]) {
      const res = await fetch(`${stack.baseUrl}/api/v1/audit/export?from=2&to=${to}`, { headers: { authorization: `Bearer ${compliance.token}` } });
      expect(res.status).toBe(200);
      const lines = (await res.text()).trim().split('\n');
      const header = JSON.parse(lines[0]);
      expect(header).toMatchObject({ format: 'provenant-audit-export/v2', firstSeq: 2, lastSeq: to });
      expect(header.proofTreeSize).toBeGreaterThanOrEqual(to);
      expect(await verifyExport(lines, publicKey)).toMatchObject({ ok: true, checkedEvents: to - 1 });
    }
    // Exporting signed nothing: checkpoints added meanwhile are the integrator's, for the audit.exported events themselves.
    const added = (await sizes()).filter((n) => !before.has(n));
    for (const to of [3, 5, 7, 9]) expect(added).not.toContain(to);
    for (const n of added) expect(n).toBeGreaterThan(latest);
    const exports = (await eventsOf('audit.exported')).filter((e: any) => e.actor === `user:${compliance.id}`);
    expect(exports.map((e: any) => e.body.lastSeq)).toEqual([3, 5, 7, 9]);
  });
});
