import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import type { CookieSession, LoginRequest, MeDto } from '@provenant/shared';
import { ApiClient } from '../api/api-client';
import { Session } from './session';
import { signOut } from './sign-out';

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(ApiClient);
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  /** Signs in; throws an ApiError carrying the server's message when the credentials are refused. */
  async login(credentials: LoginRequest): Promise<void> {
    const request: LoginRequest = { ...credentials, refreshTokenIn: 'cookie' };
    this.session.store(await this.api.postAnonymous<CookieSession>('/api/v1/auth/login', request));
    await this.loadCurrentUser();
  }

  /** After a reload: the refresh cookie, if the browser still has a live one, brings the session back. */
  async restore(): Promise<void> {
    if (!(await this.api.refreshFromCookie())) return;
    await this.loadCurrentUser();
  }

  async loadCurrentUser(): Promise<void> {
    this.session.user.set(await this.api.get<MeDto>('/api/v1/auth/me'));
  }

  /** Ends the session on the server (its refresh tokens are revoked, the cookie cleared) and forgets the access token. */
  async logout(): Promise<void> {
    await signOut({
      revoke: () => this.api.postNoContent('/api/v1/auth/logout', {}),
      forget: () => this.session.clear(),
    });
    await this.router.navigate(['/login']);
  }
}
