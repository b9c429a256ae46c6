import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764158400000 implements MigrationInterface {
  name = 'InitialSchema1764158400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        disabled_at timestamptz
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE clips (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state text NOT NULL,
        source text NOT NULL CHECK (source IN ('prompt', 'upload')),
        prompt text,
        generator text,
        reference_image_sha256 text,
        reference_image_type text,
        media_sha256 text,
        media jsonb,
        created_by uuid NOT NULL REFERENCES users(id),
        flagged boolean NOT NULL DEFAULT false,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX clips_state_created_idx ON clips (state, created_at DESC, id DESC);
      CREATE INDEX clips_created_idx ON clips (created_at DESC, id DESC);
      CREATE INDEX clips_owner_created_idx ON clips (created_by, created_at DESC, id DESC);

      CREATE TABLE stage_results (
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        stage text NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        verdict text CHECK (verdict IN ('allow', 'review', 'block')),
        attempts integer NOT NULL,
        result jsonb NOT NULL,
        error text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (clip_id, stage)
      );

      -- Jobs to hand to BullMQ, written in the same transaction as the change
      -- that needs them, so an accepted submission survives Redis or api outages.
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        queue text NOT NULL,
        job_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

      CREATE TABLE audit_events (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor text NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        body jsonb NOT NULL
      );
      CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id, seq);

      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
      END $$;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_events; DROP FUNCTION audit_events_append_only();
      DROP TABLE outbox; DROP TABLE stage_results; DROP TABLE clips;
      DROP TABLE refresh_tokens; DROP TABLE api_keys; DROP TABLE users;
    `);
  }
}
