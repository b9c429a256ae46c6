import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { ApiError } from './api/api-error';
import { routes } from './app.routes';
import { AuthService } from './auth/auth.service';
import { Session } from './auth/session';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // After a reload the tokens are still in sessionStorage but the user's name is not: fetch it
    // without holding up the first render.
    provideAppInitializer(() => {
      const auth = inject(AuthService);
      if (!inject(Session).signedIn()) return;
      auth.loadCurrentUser().catch((error: unknown) => console.warn('Could not load the signed-in user:', ApiError.describe(error)));
    }),
  ],
};
