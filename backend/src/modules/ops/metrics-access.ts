import type { Role } from '@provenant/shared';

/** Who may scrape /metrics, the api's and every worker's alike. */
export const METRICS_ROLES: readonly Role[] = ['admin'];
