import { Client } from 'pg';

describe('database schema (applied by the test run\'s global setup)', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events', async () => {
    const { rows } = await db.query(
      `INSERT INTO audit_events (actor, action, subject_type, subject_id, body) VALUES ('system', 'test.append', 'test', 'x', '{}') RETURNING seq`,
    );
    await expect(db.query(`UPDATE audit_events SET action = 'x' WHERE seq = $1`, [rows[0].seq])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events WHERE seq = $1`, [rows[0].seq])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });
});
