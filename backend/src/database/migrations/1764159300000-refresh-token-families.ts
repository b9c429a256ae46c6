import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token families (issue 14): every token descends from one login and
 * carries that login's `family_id`, so logout and a detected replay end the
 * whole chain at once. `rotated_at` tells a token spent by rotation (whose
 * replay means it was stolen) from one revoked by logout or erasure. Tokens
 * issued before this migration each become a family of their own.
 */
export class RefreshTokenFamilies1764159300000 implements MigrationInterface {
  name = 'RefreshTokenFamilies1764159300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE refresh_tokens ADD COLUMN family_id uuid, ADD COLUMN rotated_at timestamptz;
      UPDATE refresh_tokens SET family_id = id;
      ALTER TABLE refresh_tokens ALTER COLUMN family_id SET NOT NULL;
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refresh_tokens DROP COLUMN family_id, DROP COLUMN rotated_at;`);
  }
}
