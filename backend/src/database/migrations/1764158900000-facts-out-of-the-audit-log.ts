import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts live in their own tables; the audit log records them and each fact
 * keeps the sequence number of its audit event as the pointer to the evidence:
 * - clip_transitions: every change of a clip's state (the clip timeline);
 * - review_decisions.final and .audit_seq: which approval ended a round;
 * - stage_results.audit_seq: the event of the stage's result;
 * - review_items.senior_approval_needed: the four-eyes rule's answer for the
 *   open round, stored by the code that applies the rule, so "claim next"
 *   filters on it instead of restating the rule in SQL (the backfill below
 *   states the rule once more, frozen as it was when this migration ran).
 * The release step gets one name: stage `release` becomes `signing`.
 * Existing rows are filled in from the audit log, once, here.
 */
export class FactsOutOfTheAuditLog1764158900000 implements MigrationInterface {
  name = 'FactsOutOfTheAuditLog1764158900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE stage_results SET stage = 'signing' WHERE stage = 'release';
      UPDATE outbox SET queue = 'stage-signing', job_id = replace(job_id, '__release', '__signing') WHERE queue = 'stage-release';

      CREATE TABLE clip_transitions (
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        audit_seq bigint NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        reason text,
        at timestamptz NOT NULL,
        PRIMARY KEY (clip_id, audit_seq)
      );
      -- The log outlives rows: events of clips that no longer exist stay in the log only.
      INSERT INTO clip_transitions (clip_id, audit_seq, from_state, to_state, reason, at)
        SELECT c.id, e.seq, e.body->>'from', e.body->>'to', e.body->>'reason', e.at
          FROM audit_events e JOIN clips c ON c.id::text = e.subject_id
         WHERE e.action = 'clip.transition' AND e.subject_type = 'clip';

      ALTER TABLE stage_results ADD COLUMN audit_seq bigint;
      UPDATE stage_results s SET audit_seq = e.seq
        FROM (SELECT subject_id, CASE body->>'stage' WHEN 'release' THEN 'signing' ELSE body->>'stage' END AS stage, max(seq) AS seq
                FROM audit_events WHERE action = 'stage.completed' GROUP BY 1, 2) e
       WHERE e.subject_id = s.clip_id::text AND e.stage = s.stage AND s.status = 'succeeded';

      ALTER TABLE review_decisions ADD COLUMN final boolean NOT NULL DEFAULT false, ADD COLUMN audit_seq bigint;
      UPDATE review_decisions d SET final = (e.body->>'final')::boolean, audit_seq = e.seq
        FROM audit_events e WHERE e.action = 'review.decision' AND e.body->>'decisionId' = d.id::text;

      ALTER TABLE review_items ADD COLUMN senior_approval_needed boolean NOT NULL DEFAULT false;
      -- The four-eyes rule as it stood when this ran (approval-rule.ts): a four-eyes round with one
      -- approval and none by a senior reviewer can be completed only by a senior reviewer.
      UPDATE review_items SET senior_approval_needed = (four_eyes AND senior_approvals = 0 AND cardinality(approved_by) >= 1)
       WHERE closed_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE review_items DROP COLUMN senior_approval_needed;
      ALTER TABLE review_decisions DROP COLUMN final, DROP COLUMN audit_seq;
      ALTER TABLE stage_results DROP COLUMN audit_seq;
      DROP TABLE clip_transitions;
      UPDATE outbox SET queue = 'stage-release', job_id = replace(job_id, '__signing', '__release') WHERE queue = 'stage-signing';
      UPDATE stage_results SET stage = 'release' WHERE stage = 'signing';
    `);
  }
}
