import { Injectable, inject } from '@angular/core';
import type { ClipDto, ClipState, ClipSummaryDto, Page, SubmitClipRequest, SubmitClipResponse } from '@provenant/shared';
import { ApiClient } from '../../core/api/api-client';

export const CLIP_PAGE_SIZE = 50;

@Injectable({ providedIn: 'root' })
export class ClipsApi {
  private readonly api = inject(ApiClient);

  list(filter: { state: ClipState | null; cursor: string | null }): Promise<Page<ClipSummaryDto>> {
    const query = new URLSearchParams({ limit: String(CLIP_PAGE_SIZE) });
    if (filter.state) query.set('state', filter.state);
    if (filter.cursor) query.set('cursor', filter.cursor);
    return this.api.get<Page<ClipSummaryDto>>(`/api/v1/clips?${query}`);
  }

  get(id: string): Promise<ClipDto> {
    return this.api.get<ClipDto>(`/api/v1/clips/${encodeURIComponent(id)}`);
  }

  submit(request: SubmitClipRequest): Promise<SubmitClipResponse> {
    return this.api.post<SubmitClipResponse>('/api/v1/clips', request);
  }

  /** A thumbnail named in the clip's moderation evidence. Fetched with the token, so it cannot be a plain <img src>. */
  async evidenceImage(clipId: string, sha256: string): Promise<Blob> {
    const response = await this.api.open(`/api/v1/moderation/clips/${encodeURIComponent(clipId)}/evidence/${encodeURIComponent(sha256)}`, { method: 'GET' });
    return response.blob();
  }
}

/** The list row for a clip, taken from the full clip a live update refetched. */
export function toSummary(clip: ClipDto): ClipSummaryDto {
  const { id, state, source, prompt, createdBy, flagged, createdAt, updatedAt } = clip;
  return { id, state, source, prompt, createdBy, flagged, createdAt, updatedAt };
}
