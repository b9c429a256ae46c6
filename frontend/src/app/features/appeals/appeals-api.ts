import { Injectable, inject } from '@angular/core';
import { PAGE_LIMITS, type AppealDecisionRequest, type AppealResultDto, type AppealStatus, type PromptAppealDto } from '@provenant/shared';
import { ApiClient } from '../../core/api/api-client';

/** The appeal routes of the API (README, Review: appeals of prompt blocks). */
@Injectable({ providedIn: 'root' })
export class AppealsApi {
  private readonly api = inject(ApiClient);

  file(clipId: string, reason: string): Promise<AppealResultDto> {
    return this.api.post<AppealResultDto>(`/api/v1/clips/${encodeURIComponent(clipId)}/appeal`, { reason });
  }

  list(status: AppealStatus): Promise<PromptAppealDto[]> {
    return this.api.get<PromptAppealDto[]>(`/api/v1/review/appeals?status=${status}&limit=${PAGE_LIMITS.appeals.max}`);
  }

  decide(clipId: string, request: AppealDecisionRequest): Promise<AppealResultDto> {
    return this.api.post<AppealResultDto>(`/api/v1/review/appeals/${encodeURIComponent(clipId)}`, request);
  }
}
