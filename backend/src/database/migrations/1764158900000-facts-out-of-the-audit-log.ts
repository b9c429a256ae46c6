import type { MigrationInterface, QueryRunner } from 'typeorm';
import { seniorApprovalNeeded } from '../../modules/review/approval-rule';

/**
 * Facts live in their own tables; the audit log records them and each fact
 * keeps the sequence number of its audit event as the pointer to the evidence:
 * - clip_transitions: every change of a clip's state (the clip timeline);
 * - review_decisions.final and .audit_seq: which approval ended a round;
 * - stage_results.audit_seq: the event of the stage's result;
 * - review_items.senior_approval_needed: the four-eyes rule's answer for the
 *   open round, stored by the code that applies the rule, so "claim next"
 *   filters on it instead of restating the rule in SQL.
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
      INSERT INTO clip_transitions (clip_id, audit_seq, from_state, to_state, reason, at)
        SELECT subject_id::uuid, seq, body->>'from', body->>'to', body->>'reason', at
          FROM audit_events WHERE action = 'clip.transition' AND subject_type = 'clip';

      ALTER TABLE stage_results ADD COLUMN audit_seq bigint;
      UPDATE stage_results s SET audit_seq = e.seq
        FROM (SELECT subject_id, CASE body->>'stage' WHEN 'release' THEN 'signing' ELSE body->>'stage' END AS stage, max(seq) AS seq
                FROM audit_events WHERE action = 'stage.completed' GROUP BY 1, 2) e
       WHERE e.subject_id = s.clip_id::text AND e.stage = s.stage AND s.status = 'succeeded';

      ALTER TABLE review_decisions ADD COLUMN final boolean NOT NULL DEFAULT false, ADD COLUMN audit_seq bigint;
      UPDATE review_decisions d SET final = (e.body->>'final')::boolean, audit_seq = e.seq
        FROM audit_events e WHERE e.action = 'review.decision' AND e.body->>'decisionId' = d.id::text;

      ALTER TABLE review_items ADD COLUMN senior_approval_needed boolean NOT NULL DEFAULT false;
    `);
    const open: { clip_id: string; four_eyes: boolean; approvals: number; senior_approvals: number }[] = await q.query(
      `SELECT clip_id, four_eyes, cardinality(approved_by) AS approvals, senior_approvals FROM review_items WHERE closed_at IS NULL`,
    );
    for (const r of open) {
      const needed = seniorApprovalNeeded({ fourEyes: r.four_eyes, approvals: r.approvals, seniorApprovals: r.senior_approvals });
      await q.query('UPDATE review_items SET senior_approval_needed = $2 WHERE clip_id = $1', [r.clip_id, needed]);
    }
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
