import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16, item 2: a creator's appeal of a prompt blocked before
 * generation, one per clip (the primary key), and a senior reviewer's
 * decision on it. The creator's reason and the decider's note are people's
 * writing: erasable here, hashed in the audit log. A granted appeal also
 * leaves a review_reopenings row (kind blocked_override) for the round it
 * leads to, so that round is four-eyes and its granter may not review it.
 */
export class PromptAppeals1764500000000 implements MigrationInterface {
  name = 'PromptAppeals1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prompt_appeals (
        clip_id uuid PRIMARY KEY REFERENCES clips(id) ON DELETE CASCADE,
        appellant_id uuid NOT NULL REFERENCES users(id),
        reason text,
        reason_sha256 text NOT NULL,
        appealed_at timestamptz NOT NULL DEFAULT now(),
        decision text CHECK (decision IN ('grant', 'deny')),
        decided_by uuid REFERENCES users(id),
        reason_code text,
        reason_catalog_version text,
        note text,
        note_sha256 text,
        decided_at timestamptz,
        CHECK ((decision IS NULL) = (decided_by IS NULL) AND (decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (reason_code IS NULL))
      );
      CREATE INDEX prompt_appeals_pending_idx ON prompt_appeals (appealed_at, clip_id) WHERE decision IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE prompt_appeals`);
  }
}
