import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, items 2 and 6.
 * - A user's roles or disabled state changing, or an API key being revoked,
 *   notifies `provenant_account_changes` with the user's id, so each api process drops its cached view of that
 *   account and ends its event streams at the commit (NOTIFY is
 *   transactional). A trigger, so no code path can change an account and
 *   forget to say so.
 * - review_items.reopened_by: whoever reopened a rejection or overrode a block
 *   for this round; they may not claim it.
 */
export class AccountChangesAndReopeners1764200400000 implements MigrationInterface {
  name = 'AccountChangesAndReopeners1764200400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION provenant_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('provenant_account_changes', NEW.id::text);
        ELSE
          PERFORM pg_notify('provenant_account_changes', NEW.user_id::text);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER users_changed AFTER UPDATE OF roles, disabled_at ON users FOR EACH ROW
        WHEN (OLD.roles IS DISTINCT FROM NEW.roles OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
        EXECUTE FUNCTION provenant_account_changed();
      -- Not on last_used_at, which every request with a key updates.
      CREATE TRIGGER api_keys_changed AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW
        WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
        EXECUTE FUNCTION provenant_account_changed();
      ALTER TABLE review_items ADD COLUMN reopened_by uuid;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER users_changed ON users; DROP TRIGGER api_keys_changed ON api_keys; DROP FUNCTION provenant_account_changed();
      ALTER TABLE review_items DROP COLUMN reopened_by;
    `);
  }
}
