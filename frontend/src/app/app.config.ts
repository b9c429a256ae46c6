import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { ApiError } from './core/api/api-error';
import { routes } from './app.routes';
import { AuthService } from './core/auth/auth.service';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(routes, withComponentInputBinding()),
    // After a reload only the HttpOnly refresh cookie is left: trade it for an access token before
    // the first route is guarded, so a reload keeps the session.
    provideAppInitializer(() =>
      inject(AuthService)
        .restore()
        .catch((error: unknown) => console.warn('Could not restore the session:', ApiError.describe(error))),
    ),
  ],
};
