import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes audit_events a Merkle-tree log (RFC 9162 style):
 * - seq becomes gap-free: assigned from audit_log_head under its row lock,
 *   in the appending transaction, so concurrent writers get one total order;
 * - audit_merkle_nodes holds every complete subtree hash (level 0 = leaf
 *   hashes written with the event; higher levels by the integrator);
 * - audit_checkpoints holds signed checkpoints (tree size, root, time);
 * - all three are append-only (trigger), and the application role
 *   provenant_app may only SELECT and INSERT them (grants).
 */
export class TamperEvidentAudit1764158600000 implements MigrationInterface {
  name = 'TamperEvidentAudit1764158600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF (SELECT count(*) FROM audit_events) <> (SELECT coalesce(max(seq), 0) FROM audit_events) THEN
          RAISE EXCEPTION 'audit_events has gaps in seq; it cannot become a gap-free log';
        END IF;
      END $$;
      ALTER TABLE audit_events ALTER COLUMN seq DROP DEFAULT;
      DROP SEQUENCE IF EXISTS audit_events_seq_seq;
      ALTER TABLE audit_events ALTER COLUMN at DROP DEFAULT;

      CREATE TABLE audit_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        size bigint NOT NULL
      );
      INSERT INTO audit_log_head (size) SELECT count(*) FROM audit_events;

      CREATE TABLE audit_merkle_nodes (
        level smallint NOT NULL,
        idx bigint NOT NULL,
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      );

      CREATE TABLE audit_checkpoints (
        tree_size bigint PRIMARY KEY,
        root_hash bytea NOT NULL,
        signed_note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TRIGGER audit_merkle_nodes_no_update BEFORE UPDATE OR DELETE ON audit_merkle_nodes
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_merkle_nodes_no_truncate BEFORE TRUNCATE ON audit_merkle_nodes
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'provenant_app') THEN
          CREATE ROLE provenant_app NOLOGIN;
        END IF;
      END $$;
      GRANT USAGE ON SCHEMA public TO provenant_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO provenant_app;
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO provenant_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO provenant_app;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO provenant_app;
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_merkle_nodes, audit_checkpoints FROM provenant_app;
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_merkle_nodes, audit_checkpoints FROM PUBLIC;
      -- The head counter is the one log table the application updates.
      GRANT UPDATE ON audit_log_head TO provenant_app;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE audit_checkpoints; DROP TABLE audit_merkle_nodes; DROP TABLE audit_log_head;
      CREATE SEQUENCE audit_events_seq_seq OWNED BY audit_events.seq;
      SELECT setval('audit_events_seq_seq', coalesce((SELECT max(seq) FROM audit_events), 0) + 1, false);
      ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq_seq');
      ALTER TABLE audit_events ALTER COLUMN at SET DEFAULT clock_timestamp();
    `);
  }
}
