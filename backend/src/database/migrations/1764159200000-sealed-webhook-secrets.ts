import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook signing secrets at rest are sealed with AES-256-GCM (issue 14):
 * `secret_sealed` holds nonce ‖ ciphertext ‖ tag, bound to the webhook's id.
 * The key is application configuration (WEBHOOK_SECRET_KEY or the
 * development key in DATA_DIR/keys), which a migration does not read, so this
 * one only makes room: the clear `secret` becomes nullable and the api and
 * worker seal every clear secret left at start, before they sign anything,
 * clearing the column (WebhookSecretSealing). Erased webhooks' empty secrets
 * become NULL: there is nothing to seal.
 */
export class SealedWebhookSecrets1764159200000 implements MigrationInterface {
  name = 'SealedWebhookSecrets1764159200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks ADD COLUMN secret_sealed bytea;
      ALTER TABLE webhooks ALTER COLUMN secret DROP NOT NULL;
      UPDATE webhooks SET secret = NULL WHERE secret = '';
      -- Only rows written before this migration, until the application seals them.
      COMMENT ON COLUMN webhooks.secret IS 'legacy clear secret; sealed into secret_sealed and set NULL at application start';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sealed secrets cannot be opened here without the key: those webhooks lose their secret (they must be registered again).
    await q.query(`
      UPDATE webhooks SET secret = '', disabled_at = coalesce(disabled_at, now()) WHERE secret IS NULL;
      ALTER TABLE webhooks ALTER COLUMN secret SET NOT NULL;
      ALTER TABLE webhooks DROP COLUMN secret_sealed;
    `);
  }
}
