import type { EntityManager } from 'typeorm';
import type { ClipState, ReviewEventDto } from '@provenant/shared';
import { CLIP_EVENTS_CHANNEL } from '../lifecycle/clip-transitions';

/**
 * Puts a review decision on the clip event stream (SSE), in the deciding
 * transaction: the creator's integration and the console hear it only if it
 * is committed. Same channel and shape as state changes, plus `review`.
 */
export async function notifyReviewDecision(manager: EntityManager, clipId: string, createdBy: string, state: ClipState, review: ReviewEventDto): Promise<void> {
  const payload = JSON.stringify({ clipId, createdBy, state, stage: null, at: new Date().toISOString(), review });
  await manager.query('SELECT pg_notify($1, $2)', [CLIP_EVENTS_CHANNEL, payload]);
}
