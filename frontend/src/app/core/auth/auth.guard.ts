import { inject } from '@angular/core';
import { type CanActivateFn, type CanMatchFn, Router } from '@angular/router';
import { type Area, landingFor, mayUse } from '../access';
import { Session } from './session';

/** Pages behind this guard need a session; without one the user goes to login and comes back after. */
export const requireSession: CanActivateFn = (_route, state) =>
  inject(Session).signedIn() || inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });

/** The login page is pointless with a session; go to the user's landing page instead. */
export const requireNoSession: CanActivateFn = () => {
  const session = inject(Session);
  return !session.signedIn() || inject(Router).parseUrl(landingFor(session.user()?.roles ?? []));
};

/**
 * An area's routes are loaded only for a role that may use it; anyone else
 * goes to their own landing page (never to an error page that retries).
 * Without a session `requireSession` sends the user to login first.
 */
export const requireArea =
  (area: Area): CanMatchFn =>
  () => {
    const session = inject(Session);
    const roles = session.user()?.roles ?? [];
    if (!session.signedIn() || mayUse(roles, area)) return true;
    return inject(Router).parseUrl(landingFor(roles));
  };

/** `/` and unknown paths: the user's landing page, or login without a session. */
export const toLanding: CanActivateFn = () => {
  const session = inject(Session);
  return inject(Router).parseUrl(session.signedIn() ? landingFor(session.user()?.roles ?? []) : '/login');
};
