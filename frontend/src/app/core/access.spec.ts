import { ROLES } from '@provenant/shared';
import { landingFor, mayUse, navigationFor } from './access';

describe('console access by role', () => {
  const paths = (roles: Parameters<typeof navigationFor>[0]) => navigationFor(roles).map((item) => item.path);

  it('shows each role only the areas it may use', () => {
    expect(paths(['reviewer'])).toEqual(['/review', '/clips', '/likeness', '/likeness/me']);
    expect(paths(['senior_reviewer'])).toEqual(['/review', '/clips', '/appeals', '/likeness', '/likeness/me']);
    expect(paths(['admin'])).toEqual(['/review', '/clips', '/appeals', '/likeness', '/likeness/me']);
    expect(paths(['creator'])).toEqual(['/clips', '/likeness/me']);
    expect(paths(['compliance'])).toEqual(['/clips', '/likeness', '/likeness/me']);
    expect(paths(['publisher'])).toEqual(['/likeness/me']);
    expect(paths([])).toEqual([]);
  });

  it('lands each role where it works', () => {
    expect(landingFor(['reviewer'])).toBe('/review');
    expect(landingFor(['creator', 'senior_reviewer'])).toBe('/review');
    expect(landingFor(['admin'])).toBe('/clips');
    expect(landingFor(['creator'])).toBe('/clips');
    expect(landingFor(['compliance'])).toBe('/clips');
    expect(landingFor(['publisher'])).toBe('/welcome');
  });

  it('lets only reviewers claim, and only creators and admins submit', () => {
    expect(mayUse(['admin'], 'claim')).toBe(false);
    expect(mayUse(['reviewer'], 'claim')).toBe(true);
    expect(mayUse(['reviewer'], 'submit')).toBe(false);
    expect(mayUse(['creator'], 'submit')).toBe(true);
  });

  it('lets senior reviewers and admins see appeals, and only senior reviewers decide them', () => {
    expect(mayUse(['reviewer'], 'appeals')).toBe(false);
    expect(mayUse(['admin'], 'appeals')).toBe(true);
    expect(mayUse(['admin'], 'decideAppeals')).toBe(false);
    expect(mayUse(['senior_reviewer'], 'decideAppeals')).toBe(true);
  });

  it('lets the staff who judge likeness matches read the registry, only admin and compliance keep it, and everyone enrol themselves', () => {
    expect(ROLES.filter((role) => mayUse([role], 'likeness'))).toEqual(['admin', 'reviewer', 'senior_reviewer', 'compliance']);
    expect(ROLES.filter((role) => mayUse([role], 'keepRegistry'))).toEqual(['admin', 'compliance']);
    expect(ROLES.filter((role) => mayUse([role], 'myLikeness'))).toEqual([...ROLES]);
    // Only the registry's link is highlighted on its own path alone (its path starts My likeness's).
    expect(navigationFor(['compliance']).find((item) => item.path === '/likeness')).toMatchObject({ label: 'Likeness registry', exact: true });
    expect(navigationFor(['publisher'])).toEqual([{ path: '/likeness/me', label: 'My likeness', testId: 'nav-my-likeness' }]);
  });
});
