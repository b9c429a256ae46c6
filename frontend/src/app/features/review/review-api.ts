import { Injectable, inject } from '@angular/core';
import type { ReviewClaimDto, ReviewDecisionRequest, ReviewDecisionResultDto, ReviewQueueItemDto } from '@provenant/shared';
import { ApiClient } from '../../core/api/api-client';

const QUEUE_LIMIT = 100;
const claimPath = (clipId: string) => `/api/v1/review/${encodeURIComponent(clipId)}`;

/** The review routes of the API (README, Review). */
@Injectable({ providedIn: 'root' })
export class ReviewApi {
  private readonly api = inject(ApiClient);

  queue(): Promise<ReviewQueueItemDto[]> {
    return this.api.get<ReviewQueueItemDto[]>(`/api/v1/review/queue?limit=${QUEUE_LIMIT}`);
  }

  claimNext(): Promise<ReviewClaimDto> {
    return this.api.post<ReviewClaimDto>('/api/v1/review/claim', {});
  }

  heartbeat(clipId: string): Promise<ReviewClaimDto> {
    return this.api.post<ReviewClaimDto>(`${claimPath(clipId)}/heartbeat`, {});
  }

  giveBack(clipId: string): Promise<void> {
    return this.api.delete(`${claimPath(clipId)}/claim`);
  }

  /** The page is closing: give the claim back without waiting for an answer. */
  giveBackWhileLeaving(clipId: string): void {
    this.api.sendWhileLeaving(`${claimPath(clipId)}/claim`, 'DELETE');
  }

  decide(clipId: string, request: ReviewDecisionRequest): Promise<ReviewDecisionResultDto> {
    return this.api.post<ReviewDecisionResultDto>(`${claimPath(clipId)}/decision`, request);
  }

  /**
   * The watermarked render, whole, as a Blob for an object URL: a <video>
   * cannot send the bearer token itself, and clips are short. One request
   * without Range is one audited viewing.
   */
  async media(clipId: string): Promise<Blob> {
    return (await this.api.open(`/api/v1/clips/${encodeURIComponent(clipId)}/media`, { method: 'GET' })).blob();
  }
}
