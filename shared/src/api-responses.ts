import type { AuditEventDto } from './audit';
import type { ClipSummaryDto, Page } from './dto';

// Named instances of the answers that had no name of their own, so the API contract (generated from these types) can refer to them.

export type ClipSummaryPageDto = Page<ClipSummaryDto>;
export type AuditEventPageDto = Page<AuditEventDto>;

/** DELETE /users/:id/personal-data */
export interface ErasureResultDto {
  clipsErased: number;
}

/** GET /health/live */
export interface LivenessDto {
  status: 'ok';
}

/** 'ok', or 'unavailable: <a few stable words>' (never an error message, address or stack). */
export type DependencyStatus = 'ok' | `unavailable: ${string}`;
/** 'loading' until the models have answered once, then 'ok'; 'unavailable: …' if they could not be loaded. */
export type ModelsStatus = 'ok' | 'loading' | `unavailable: ${string}`;

/** GET /health/ready (200 when ready, 503 with the same shape when not). */
export interface ReadinessDto {
  status: 'ok' | 'unavailable';
  /** `models` only in the worker, the process that moderates. */
  checks: { postgres: DependencyStatus; redis: DependencyStatus; models?: ModelsStatus };
}
