import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The release render (watermark stage) now runs in ANALYZING beside the
 * checks, and the WATERMARKING state is gone. A clip caught in it goes back
 * to ANALYZING, where the pipeline sweep finds its watermark stage pending
 * and enqueues it again. Past transitions keep their recorded states.
 */
export class RenderBesideTheChecks1764159100000 implements MigrationInterface {
  name = 'RenderBesideTheChecks1764159100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE clips SET state = 'ANALYZING', updated_at = now() WHERE state = 'WATERMARKING'`);
  }

  async down(): Promise<void> {
    // Nothing to undo: ANALYZING is a state the previous schema knows too, and its pipeline re-drives such a clip.
  }
}
