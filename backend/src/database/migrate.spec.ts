import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

describe('database schema (applied by the test run\'s global setup)', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  it('refuses UPDATE, DELETE and TRUNCATE on the log tables, even for a superuser (trigger)', async () => {
    await db.query('BEGIN');
    const [{ size }] = (await db.query('UPDATE audit_log_head SET size = size + 1 RETURNING size')).rows;
    await db.query(`INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, body) VALUES ($1, now(), 'system', 'test.append', 'test', 'x', '{}')`, [size]);
    await db.query(`INSERT INTO audit_merkle_nodes (level, idx, hash) VALUES (0, $1, $2)`, [Number(size) - 1, randomBytes(32)]);
    await db.query('COMMIT');
    for (const table of ['audit_events', 'audit_merkle_nodes']) {
      await expect(db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    }
    await expect(db.query(`UPDATE audit_events SET action = 'x' WHERE seq = $1`, [size])).rejects.toThrow(/append-only/);
  });

  it('lets an unsequenced event get its seq once, and nothing else about it change (trigger)', async () => {
    const attempt = async (sql: string) => {
      await db.query('BEGIN');
      try {
        const [{ id }] = (await db.query(`INSERT INTO audit_events (at, actor, action, subject_type, subject_id, body) VALUES (now(), 'system', 'test.append', 'test', 'x', '{}') RETURNING id`)).rows;
        await db.query(`UPDATE audit_events SET seq = -1 WHERE id = $1`, [id]);
        await db.query(sql, [id]);
      } finally {
        await db.query('ROLLBACK');
      }
    };
    await expect(attempt(`SELECT $1::bigint`)).resolves.toBeUndefined();
    await expect(attempt(`UPDATE audit_events SET seq = -2 WHERE id = $1`)).rejects.toThrow(/append-only/);
    await db.query('BEGIN');
    try {
      const [{ id }] = (await db.query(`INSERT INTO audit_events (at, actor, action, subject_type, subject_id, body) VALUES (now(), 'system', 'test.append', 'test', 'x', '{}') RETURNING id`)).rows;
      await expect(db.query(`UPDATE audit_events SET seq = -1, action = 'forged' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the log tables to the application role (grants)', async () => {
    const role = `ptest_app_${randomBytes(4).toString('hex')}`;
    await db.query(`CREATE ROLE ${role} LOGIN IN ROLE provenant_app`);
    const app = new Client({ connectionString: process.env.DATABASE_URL!.replace('postgres@', `${role}@`) });
    await app.connect();
    try {
      for (const sql of ['UPDATE audit_events SET action = action', 'DELETE FROM audit_events', 'TRUNCATE audit_events', 'DELETE FROM audit_checkpoints', 'UPDATE audit_merkle_nodes SET hash = hash']) {
        await expect(app.query(sql)).rejects.toThrow(/permission denied/);
      }
      // It can still do its work: read the log and change ordinary tables.
      await expect(app.query('SELECT count(*) FROM audit_events')).resolves.toBeDefined();
      await expect(app.query(`UPDATE clips SET flagged = flagged WHERE false`)).resolves.toBeDefined();
    } finally {
      await app.end();
      await db.query(`DROP ROLE ${role}`);
    }
  });
});
