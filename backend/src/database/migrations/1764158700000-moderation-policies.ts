import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation policy versions. Each row is one version of the policy document
 * an admin stored (PUT /api/v1/moderation/policy); the row with the highest
 * seq is in force. Stage results name the version they were decided under,
 * so a version never changes once stored: the table is append-only (trigger,
 * and no UPDATE/DELETE grant for the application role).
 */
export class ModerationPolicies1764158700000 implements MigrationInterface {
  name = 'ModerationPolicies1764158700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE moderation_policies (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        version text PRIMARY KEY CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
        document jsonb NOT NULL,
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        set_by text NOT NULL,
        set_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE FUNCTION moderation_policies_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'moderation_policies is append-only: a stored policy version never changes (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER moderation_policies_no_update BEFORE UPDATE OR DELETE ON moderation_policies
        FOR EACH ROW EXECUTE FUNCTION moderation_policies_append_only();
      CREATE TRIGGER moderation_policies_no_truncate BEFORE TRUNCATE ON moderation_policies
        FOR EACH STATEMENT EXECUTE FUNCTION moderation_policies_append_only();

      REVOKE UPDATE, DELETE, TRUNCATE ON moderation_policies FROM provenant_app;
      REVOKE UPDATE, DELETE, TRUNCATE ON moderation_policies FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE moderation_policies; DROP FUNCTION moderation_policies_append_only();`);
  }
}
