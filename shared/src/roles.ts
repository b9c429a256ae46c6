export const ROLES = ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'publisher', 'creator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles that may see every clip; a creator sees only their own. */
export const ROLES_SEEING_ALL_CLIPS: readonly Role[] = ['admin', 'reviewer', 'senior_reviewer', 'compliance'];
