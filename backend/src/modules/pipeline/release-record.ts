import type { ReleaseDto } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import type { ClipRepository } from '../lifecycle/clip.repository';
import { SIGNING_STAGE, type ReleaseStageResult } from './pipeline-stage';
import type { StageResultRepository } from './stage-result.repository';

/** What the signing stage recorded for a RELEASED clip, or null for any other clip. */
export async function readRelease(db: Queryable, repos: { clips: ClipRepository; stageResults: StageResultRepository }, clipId: string): Promise<ReleaseDto | null> {
  const clip = await repos.clips.findById(db, clipId);
  if (clip?.state !== 'RELEASED') return null;
  const signed = await repos.stageResults.succeeded(db, clipId, SIGNING_STAGE);
  if (!signed) return null;
  const result = signed.result as ReleaseStageResult;
  return { sha256: result.releasedSha256, signed: result.signed === true, note: result.note ?? null, releasedAt: new Date(signed.finishedAt).toISOString() };
}
