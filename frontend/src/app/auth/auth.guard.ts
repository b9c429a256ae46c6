import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { Session } from './session';

/** Pages behind this guard need a session; without one the user goes to login and comes back after. */
export const requireSession: CanActivateFn = (_route, state) =>
  inject(Session).signedIn() || inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });

/** The login page is pointless with a session; go to the clips instead. */
export const requireNoSession: CanActivateFn = () => !inject(Session).signedIn() || inject(Router).createUrlTree(['/clips']);
