import { Injectable, inject } from '@angular/core';
import type {
  CreateLikenessGrantRequest,
  CreateLikenessSubjectRequest,
  LikenessAppearanceDto,
  LikenessEnrolmentDto,
  LikenessGrantDto,
  LikenessSubjectDto,
} from '@provenant/shared';
import { ApiClient } from '../../core/api/api-client';
import { ApiError } from '../../core/api/api-error';

const subject = (id: string) => `/api/v1/likeness/subjects/${encodeURIComponent(id)}`;

/** The likeness registry routes of the API (README, Likeness). */
@Injectable({ providedIn: 'root' })
export class LikenessApi {
  private readonly api = inject(ApiClient);

  subjects(): Promise<LikenessSubjectDto[]> {
    return this.api.get<LikenessSubjectDto[]>('/api/v1/likeness/subjects');
  }

  register(request: CreateLikenessSubjectRequest): Promise<LikenessSubjectDto> {
    return this.api.post<LikenessSubjectDto>('/api/v1/likeness/subjects', request);
  }

  erase(id: string): Promise<void> {
    return this.api.delete(subject(id));
  }

  /** One JPEG or PNG of exactly one face becomes a sealed template; the image is not kept. */
  addFace(id: string, file: File): Promise<LikenessEnrolmentDto> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.api.postForm<LikenessEnrolmentDto>(`${subject(id)}/images`, form);
  }

  grant(id: string, request: CreateLikenessGrantRequest): Promise<LikenessGrantDto> {
    return this.api.post<LikenessGrantDto>(`${subject(id)}/grants`, request);
  }

  revoke(id: string, grantId: string): Promise<void> {
    return this.api.delete(`${subject(id)}/grants/${encodeURIComponent(grantId)}`);
  }

  /** The caller's own enrolment, or null when they have not enrolled (the API's 404). */
  async mine(): Promise<LikenessSubjectDto | null> {
    try {
      return await this.api.get<LikenessSubjectDto>('/api/v1/likeness/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  appearances(): Promise<LikenessAppearanceDto[]> {
    return this.api.get<LikenessAppearanceDto[]>('/api/v1/likeness/me/appearances');
  }
}
