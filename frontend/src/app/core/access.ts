import { REVIEWER_ROLES, ROLES, type Role } from '@provenant/shared';

/** Who may open each area of the console; the API's role guard decides the same for the routes each area calls. */
export const AREA_ROLES = {
  /** GET /review/queue admits admins too: they see the queue, and do not claim. */
  review: [...REVIEWER_ROLES, 'admin'],
  /** GET /clips: every role that reads clips (creators see only their own). */
  clips: ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'creator'],
  /** POST /clips. */
  submit: ['creator', 'admin'],
  /** POST /review/claim and the decisions. */
  claim: REVIEWER_ROLES,
  /** GET /review/appeals: appealed prompt blocks. */
  appeals: ['senior_reviewer', 'admin'],
  /** POST /review/appeals/{clipId}: grant or deny. */
  decideAppeals: ['senior_reviewer'],
  /** GET /likeness/subjects: the registry, read by the staff who judge its matches. */
  likeness: ['admin', 'compliance', 'reviewer', 'senior_reviewer'],
  /** Entering protected subjects, their face images, erasing any subject. */
  keepRegistry: ['admin', 'compliance'],
  /** GET /likeness/me: everyone signed in may enrol their own likeness and decide who uses it. */
  myLikeness: ROLES,
} as const satisfies Record<string, readonly Role[]>;
export type Area = keyof typeof AREA_ROLES;

export interface NavItem {
  path: string;
  label: string;
  testId: string;
  /** Highlighted only on this very path (the registry, whose path starts My likeness's). */
  exact?: boolean;
}

const NAV: readonly (NavItem & { area: Area })[] = [
  { area: 'review', path: '/review', label: 'Review queue', testId: 'nav-review' },
  { area: 'clips', path: '/clips', label: 'Clips', testId: 'nav-clips' },
  { area: 'appeals', path: '/appeals', label: 'Appeals', testId: 'nav-appeals' },
  { area: 'likeness', path: '/likeness', label: 'Likeness registry', testId: 'nav-likeness', exact: true },
  { area: 'myLikeness', path: '/likeness/me', label: 'My likeness', testId: 'nav-my-likeness' },
];

export const mayUse = (roles: readonly Role[], area: Area): boolean => roles.some((role) => (AREA_ROLES[area] as readonly Role[]).includes(role));

/** The links a user with these roles sees: only areas they may use. */
export const navigationFor = (roles: readonly Role[]): NavItem[] => NAV.filter((item) => mayUse(roles, item.area)).map(({ area: _area, ...item }) => item);

/** Where a user lands after signing in: the page their role works in (reviewers: the queue). */
export function landingFor(roles: readonly Role[]): string {
  if (roles.some((role) => (REVIEWER_ROLES as readonly Role[]).includes(role))) return '/review';
  if (mayUse(roles, 'clips')) return '/clips';
  return '/welcome';
}
