import { ROLES, type Role } from '@provenant/shared';

export type Who = Role | 'anonymous';
const READERS: Who[] = ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'creator'];
const EVERY_ROLE: Who[] = [...ROLES];
const PUBLIC: Who[] = ['anonymous', ...ROLES];

/**
 * The access matrix, written out by hand: the test fails if a route is added
 * without an entry here (access-control.e2e.spec.ts), or if any route lets in or keeps out the wrong role.
 */
export const MATRIX: Record<string, Who[]> = {
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/refresh': PUBLIC,
  'GET /api/v1/auth/me': EVERY_ROLE,
  'POST /api/v1/auth/logout': EVERY_ROLE,
  'POST /api/v1/users': ['admin'],
  'GET /api/v1/users': ['admin'],
  'POST /api/v1/api-keys': ['admin'],
  'DELETE /api/v1/api-keys/{id}': ['admin'],
  'POST /api/v1/clips': ['creator', 'admin'],
  'POST /api/v1/clips/upload': ['creator', 'admin'],
  'GET /api/v1/clips/events': READERS,
  'GET /api/v1/clips': READERS,
  'GET /api/v1/clips/{id}': READERS,
  'GET /api/v1/clips/{id}/download': READERS,
  'GET /api/v1/clips/{id}/media': ['admin', 'reviewer', 'senior_reviewer', 'compliance'],
  'GET /api/v1/moderation/policy': ['admin', 'senior_reviewer', 'compliance'],
  'PUT /api/v1/moderation/policy': ['admin'],
  'GET /api/v1/moderation/clips/{id}/evidence/{sha256}': READERS,
  'POST /api/v1/review/claim': ['reviewer', 'senior_reviewer'],
  'POST /api/v1/review/{clipId}/heartbeat': ['reviewer', 'senior_reviewer'],
  'DELETE /api/v1/review/{clipId}/claim': ['reviewer', 'senior_reviewer'],
  'POST /api/v1/review/{clipId}/decision': ['reviewer', 'senior_reviewer'],
  'GET /api/v1/review/reason-codes': EVERY_ROLE,
  'GET /api/v1/review/queue': ['reviewer', 'senior_reviewer', 'admin'],
  'POST /api/v1/review/{clipId}/override': ['senior_reviewer'],
  'POST /api/v1/review/{clipId}/reopen': ['admin'],
  'POST /api/v1/clips/{id}/appeal': ['creator', 'admin'],
  'GET /api/v1/review/appeals': ['senior_reviewer', 'admin'],
  'POST /api/v1/review/appeals/{clipId}': ['senior_reviewer'],
  'POST /api/v1/webhooks': ['creator', 'admin'],
  'GET /api/v1/webhooks': ['creator', 'admin'],
  'DELETE /api/v1/webhooks/{id}': ['creator', 'admin'],
  'GET /api/v1/webhooks/{id}/deliveries': ['creator', 'admin'],
  'DELETE /api/v1/users/{id}/personal-data': ['admin'],
  'PATCH /api/v1/users/{id}': ['admin'],
  'GET /api/v1/audit/public-key': PUBLIC,
  'GET /api/v1/audit/checkpoints/latest': ['compliance', 'admin', 'publisher'],
  'GET /api/v1/audit/proofs/inclusion': ['compliance', 'admin', 'publisher'],
  'GET /api/v1/audit/proofs/consistency': ['compliance', 'admin', 'publisher'],
  'GET /api/v1/audit/verify': ['compliance', 'admin'],
  'GET /api/v1/audit/events': ['compliance', 'admin'],
  'GET /api/v1/audit/clips/{id}/timeline': ['compliance', 'admin'],
  'GET /api/v1/audit/export': ['compliance', 'admin'],
  'POST /api/v1/verify': ['publisher', 'admin'],
  'GET /api/v1/catalogues/clip-states': EVERY_ROLE,
  'GET /api/v1/catalogues/check-kinds': EVERY_ROLE,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': ['admin'],
};
