import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending no longer takes a lock shared by every writer (issue 17):
 * - audit_events gets `id`, a plain sequence value taken at append time
 *   (gaps allowed, no lock), which becomes the primary key and the pointer a
 *   fact keeps to its evidence; `seq` is NULL until the sequencer gives the
 *   committed event its gap-free position, once;
 * - a row is immutable except that one assignment (trigger), and the
 *   application role may update only the `seq` column (grant);
 * - the facts' pointers (clip_transitions, stage_results, review_decisions)
 *   become audit_event_id; existing events keep id = seq.
 */
export class AuditSequencer1764159000000 implements MigrationInterface {
  name = 'AuditSequencer1764159000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
      ALTER TABLE audit_events ADD COLUMN id bigint;
      UPDATE audit_events SET id = seq;
      ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;

      CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id;
      SELECT setval('audit_events_id_seq', coalesce((SELECT max(id) FROM audit_events), 0) + 1, false);
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey;
      ALTER TABLE audit_events
        ALTER COLUMN id SET NOT NULL,
        ALTER COLUMN id SET DEFAULT nextval('audit_events_id_seq'),
        ADD PRIMARY KEY (id),
        ALTER COLUMN seq DROP NOT NULL,
        ADD CONSTRAINT audit_events_seq_key UNIQUE (seq);
      -- What the sequencer reads each turn: committed events without a position yet.
      CREATE INDEX audit_events_unsequenced_idx ON audit_events (id) WHERE seq IS NULL;

      CREATE FUNCTION audit_events_sequence_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
           AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.subject_type, NEW.subject_id, NEW.body)
               IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.subject_type, OLD.subject_id, OLD.body) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only (UPDATE refused: only an unsequenced event''s seq may be set, once)';
      END $$;
      DROP TRIGGER audit_events_no_update ON audit_events;
      CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      CREATE TRIGGER audit_events_sequence_once BEFORE UPDATE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_sequence_once();
      GRANT UPDATE (seq) ON audit_events TO provenant_app;
      GRANT USAGE, SELECT ON SEQUENCE audit_events_id_seq TO provenant_app;

      ALTER TABLE clip_transitions RENAME COLUMN audit_seq TO audit_event_id;
      ALTER TABLE stage_results RENAME COLUMN audit_seq TO audit_event_id;
      ALTER TABLE review_decisions RENAME COLUMN audit_seq TO audit_event_id;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT FROM audit_events WHERE seq IS NULL OR seq <> id) THEN
          RAISE EXCEPTION 'audit_events holds events whose id is not their seq; the facts'' pointers cannot go back to seq';
        END IF;
      END $$;
      ALTER TABLE review_decisions RENAME COLUMN audit_event_id TO audit_seq;
      ALTER TABLE stage_results RENAME COLUMN audit_event_id TO audit_seq;
      ALTER TABLE clip_transitions RENAME COLUMN audit_event_id TO audit_seq;
      REVOKE UPDATE (seq) ON audit_events FROM provenant_app;
      DROP TRIGGER audit_events_sequence_once ON audit_events;
      DROP TRIGGER audit_events_no_delete ON audit_events;
      DROP FUNCTION audit_events_sequence_once();
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
      DROP INDEX audit_events_unsequenced_idx;
      ALTER TABLE audit_events DROP CONSTRAINT audit_events_pkey, DROP CONSTRAINT audit_events_seq_key;
      ALTER TABLE audit_events ALTER COLUMN seq SET NOT NULL, ADD PRIMARY KEY (seq);
      ALTER TABLE audit_events DROP COLUMN id;
    `);
  }
}
