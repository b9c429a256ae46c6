import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Human review and notifications:
 * - review_items: one row per clip that has reached review, holding the
 *   current round's queue position (priority, due time, age), its lease and
 *   its approvals so far;
 * - review_decisions and review_reopenings: every decision, override and
 *   reopening. Their free text (note, reason) may hold personal data, so it
 *   lives here, erasable, and the audit log keeps only its SHA-256;
 * - webhooks, webhook_deliveries, webhook_delivery_attempts: outcome
 *   notifications to creators' integrations and every attempt made;
 * - clips.api_key_id: the key a clip was submitted with, so a webhook
 *   registered with that key hears about exactly that key's clips.
 */
export class Review1764158500000 implements MigrationInterface {
  name = 'Review1764158500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE clips ADD COLUMN api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL;

      CREATE TABLE review_items (
        clip_id uuid PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
        -- The clip's creator, copied so that "claim next" reads this table alone, in index order.
        submitted_by uuid NOT NULL REFERENCES users(id),
        round integer NOT NULL,
        cause text NOT NULL CHECK (cause IN ('pipeline', 'blocked_override', 'rejection_reopen')),
        -- 0 = high, 1 = normal (REVIEW_PRIORITIES order), so the queue index sorts most urgent first.
        priority smallint NOT NULL CHECK (priority IN (0, 1)),
        -- Flagged by a check, escalated, or let out of a block: two approvals, one a senior's.
        four_eyes boolean NOT NULL,
        escalated boolean NOT NULL DEFAULT false,
        enqueued_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        claimed_by uuid REFERENCES users(id),
        claimed_at timestamptz,
        lease_expires_at timestamptz,
        approved_by uuid[] NOT NULL DEFAULT '{}',
        senior_approvals integer NOT NULL DEFAULT 0,
        approved_media_sha256 text,
        closed_at timestamptz
      );
      CREATE INDEX review_items_queue_idx ON review_items (priority, due_at, enqueued_at, clip_id) WHERE closed_at IS NULL;
      CREATE INDEX review_items_holder_idx ON review_items (claimed_by) WHERE closed_at IS NULL;

      CREATE TABLE review_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        round integer NOT NULL,
        reviewer_id uuid NOT NULL REFERENCES users(id),
        senior boolean NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'reject', 'escalate')),
        reason_code text NOT NULL,
        reason_catalog_version text NOT NULL,
        note text,
        note_sha256 text,
        media_sha256 text,
        decided_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX review_decisions_clip_idx ON review_decisions (clip_id, round, decided_at);
      -- Two approvals must come from two people.
      CREATE UNIQUE INDEX review_decisions_one_approval_idx ON review_decisions (clip_id, round, reviewer_id) WHERE decision = 'approve';

      CREATE TABLE review_reopenings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        round integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('blocked_override', 'rejection_reopen')),
        actor_id uuid NOT NULL REFERENCES users(id),
        reason text,
        reason_sha256 text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX review_reopenings_clip_idx ON review_reopenings (clip_id, at);

      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        api_key_id uuid REFERENCES api_keys(id) ON DELETE CASCADE,
        url text NOT NULL,
        -- The HMAC key must be readable to sign; it is shown to the owner once.
        secret text NOT NULL,
        events text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE INDEX webhooks_user_idx ON webhooks (user_id) WHERE disabled_at IS NULL;
      CREATE INDEX webhooks_key_idx ON webhooks (api_key_id) WHERE disabled_at IS NULL AND api_key_id IS NOT NULL;

      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        event text NOT NULL,
        -- The exact bytes sent (and signed) on every attempt.
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      );
      CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC);

      CREATE TABLE webhook_delivery_attempts (
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        error text,
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE webhook_delivery_attempts; DROP TABLE webhook_deliveries; DROP TABLE webhooks;
      DROP TABLE review_reopenings; DROP TABLE review_decisions; DROP TABLE review_items;
      ALTER TABLE clips DROP COLUMN api_key_id;
    `);
  }
}
