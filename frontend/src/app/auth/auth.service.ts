import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginRequest, MeDto, TokenPair } from '@provenant/shared';
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
    this.session.store(await this.api.postAnonymous<TokenPair>('/api/v1/auth/login', credentials));
    await this.loadCurrentUser();
  }

  async loadCurrentUser(): Promise<void> {
    this.session.user.set(await this.api.get<MeDto>('/api/v1/auth/me'));
  }

  /** Ends the session on the server (its refresh tokens are revoked) and forgets the tokens held by this tab. */
  async logout(): Promise<void> {
    await signOut({
      refreshToken: this.session.refreshToken(),
      revoke: (refreshToken) => this.api.postNoContent('/api/v1/auth/logout', { refreshToken }),
      forget: () => this.session.clear(),
    });
    await this.router.navigate(['/login']);
  }
}
