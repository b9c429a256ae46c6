import type { DataSource, EntityManager } from 'typeorm';
import type { ReleaseDto } from '@provenant/shared';
import type { PipelinePlan } from './pipeline-plan';
import type { ReleaseStageResult } from './pipeline-stage';

/** What the release gate recorded for a RELEASED clip, or null for any other clip. */
export async function readRelease(db: DataSource | EntityManager, plan: PipelinePlan, clipId: string): Promise<ReleaseDto | null> {
  const rows: { result: ReleaseStageResult; finished_at: Date }[] = await db.query(
    `SELECT s.result, s.finished_at FROM stage_results s JOIN clips c ON c.id = s.clip_id
      WHERE s.clip_id = $1 AND s.stage = $2 AND s.status = 'succeeded' AND c.state = 'RELEASED'`,
    [clipId, plan.releaseStage().name],
  );
  if (rows.length === 0) return null;
  const { result, finished_at } = rows[0];
  return { sha256: result.releasedSha256, signed: result.signed === true, note: result.note ?? null, releasedAt: new Date(finished_at).toISOString() };
}
