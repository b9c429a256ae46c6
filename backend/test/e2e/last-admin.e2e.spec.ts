import { startStack, type Stack } from '../support/stack';

describe('the last enabled admin', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ workers: 0 })));
  afterAll(() => stack?.stop());

  const erase = (id: string, token: string) => stack.call(`/api/v1/users/${id}/personal-data`, { method: 'DELETE', token });
  const enabledAdmins = () =>
    stack.db((db) => db.query(`SELECT count(*)::int AS n FROM users WHERE 'admin' = ANY(roles) AND disabled_at IS NULL`).then((r) => r.rows[0].n));

  it('cannot be erased (409), and two concurrent erasures of the last two admins never both succeed', async () => {
    const token = await stack.login();
    const me = (await stack.call('/api/v1/auth/me', { token })).body;
    const alone = await erase(me.id, token);
    expect({ status: alone.status, message: alone.body.message }).toEqual({ status: 409, message: 'id: cannot erase the last enabled admin; make another user admin first' });

    // Each round: the surviving admin and a new one are erased at the same moment; exactly one may go.
    let survivor = { id: me.id, token };
    for (let round = 0; round < 5; round++) {
      const other = await stack.userWithRoles(['admin'], survivor.token);
      const results = await Promise.all([erase(survivor.id, other.token), erase(other.id, survivor.token)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await enabledAdmins()).toBe(1);
      survivor = results[0].status === 200 ? other : survivor;
    }
    // A non-admin is erased as before.
    const creator = await stack.userWithRoles(['creator'], survivor.token);
    expect((await erase(creator.id, survivor.token)).status).toBe(200);
  });
});
