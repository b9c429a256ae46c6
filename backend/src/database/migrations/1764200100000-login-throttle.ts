import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-in counters (issue 5): one row per account (the HMAC of its
 * e-mail) or client network (the HMAC of its address) while it has failures
 * in its window or a wait to serve. Rows are short-lived: every admission
 * deletes a few whose `expires_at` passed. Failed attempts are no longer
 * audited one by one; a lockout is.
 */
export class LoginThrottle1764200100000 implements MigrationInterface {
  name = 'LoginThrottle1764200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_throttle (
        scope text NOT NULL CHECK (scope IN ('account', 'client_address')),
        key text NOT NULL,
        failures integer NOT NULL CHECK (failures >= 0),
        window_started_at timestamptz NOT NULL,
        retry_at timestamptz,
        locked_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX login_throttle_expires_idx ON login_throttle (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle;`);
  }
}
