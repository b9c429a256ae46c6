export const ROLES = ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'publisher', 'creator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Roles that may see every clip; a creator sees only their own. */
export const ROLES_SEEING_ALL_CLIPS: readonly Role[] = ['admin', 'reviewer', 'senior_reviewer', 'compliance'];

/**
 * Pairs of roles one person must not hold together, so no single person can
 * both overturn a decision and make it (admins reopen rejections; reviewers
 * approve) or audit their own administration.
 */
export const CONFLICTING_ROLES: readonly (readonly [Role, Role])[] = [
  ['admin', 'reviewer'],
  ['admin', 'senior_reviewer'],
  ['admin', 'compliance'],
];

/** The first conflicting pair among `roles`, or null. */
export function roleConflict(roles: readonly Role[]): readonly [Role, Role] | null {
  return CONFLICTING_ROLES.find(([a, b]) => roles.includes(a) && roles.includes(b)) ?? null;
}
