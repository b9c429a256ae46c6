import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook delivery sweep walks pending deliveries in id order every
 * SWEEP_INTERVAL_MS; a partial index keeps that a read of the few pending
 * rows rather than of every delivery ever made.
 */
export class PendingWebhookDeliveries1764200200000 implements MigrationInterface {
  name = 'PendingWebhookDeliveries1764200200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_pending_idx`);
  }
}
