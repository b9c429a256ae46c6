import { DataSource } from 'typeorm';
import { updatedRows } from './updated-rows';

describe('updatedRows', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = await new DataSource({ type: 'postgres', url: process.env.DATABASE_URL }).initialize();
    await ds.query('CREATE TEMP TABLE t (id int, v text)');
    await ds.query(`INSERT INTO t VALUES (1, 'a'), (2, 'b')`);
  });
  afterAll(() => ds.destroy());

  it('returns the rows of UPDATE … RETURNING, and none when nothing matched', async () => {
    expect(await updatedRows(ds, `UPDATE t SET v = 'c' WHERE id = $1 RETURNING id, v`, [1])).toEqual([{ id: 1, v: 'c' }]);
    expect(await updatedRows(ds, `UPDATE t SET v = 'c' WHERE id = $1 RETURNING id`, [99])).toEqual([]);
  });

  it('refuses other statements', async () => {
    await expect(updatedRows(ds, 'SELECT 1', [])).rejects.toThrow(/UPDATE or DELETE/);
  });
});
