import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: the likeness registry. Subjects (a consenting person linked to
 * their account, or a protected subject entered by admin or compliance) with
 * their names, and the grants consenting subjects give. Names are personal
 * data: they live here (deleted with the subject), the audit log holds only
 * their hash; face templates are sealed. `likeness_registry_state.version` is bumped in every write's
 * transaction, so a worker's in-memory copy knows when to reload.
 */
export class LikenessRegistry1764600000000 implements MigrationInterface {
  name = 'LikenessRegistry1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE likeness_subjects (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('consenting', 'protected')),
        display_name text NOT NULL,
        aliases text[] NOT NULL DEFAULT '{}',
        distinctive boolean NOT NULL DEFAULT false,
        user_id uuid UNIQUE REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'consenting') = (user_id IS NOT NULL))
      );
      CREATE TABLE likeness_grants (
        id uuid PRIMARY KEY,
        subject_id uuid NOT NULL REFERENCES likeness_subjects(id) ON DELETE CASCADE,
        creator_id uuid REFERENCES users(id),
        everyone boolean NOT NULL,
        until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (everyone = (creator_id IS NULL))
      );
      CREATE INDEX likeness_grants_subject_idx ON likeness_grants (subject_id, created_at DESC);
      -- A face template: the embedding sealed with LIKENESS_TEMPLATE_KEY (AES-256-GCM, the row id as
      -- associated data); the enrolment image itself is not kept, only its hash.
      CREATE TABLE likeness_templates (
        id uuid PRIMARY KEY,
        subject_id uuid NOT NULL REFERENCES likeness_subjects(id) ON DELETE CASCADE,
        model_version text NOT NULL,
        sealed_embedding bytea NOT NULL,
        image_sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subject_id, image_sha256)
      );
      CREATE TABLE likeness_registry_state (
        id int PRIMARY KEY CHECK (id = 1),
        version bigint NOT NULL
      );
      INSERT INTO likeness_registry_state (id, version) VALUES (1, 0);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE likeness_templates; DROP TABLE likeness_grants; DROP TABLE likeness_subjects; DROP TABLE likeness_registry_state`);
  }
}
