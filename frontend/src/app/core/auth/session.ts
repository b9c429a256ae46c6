import { Injectable, computed, signal } from '@angular/core';
import type { CookieSession, MeDto } from '@provenant/shared';

/**
 * The signed-in user's access token and identity, in memory only: script
 * injected into the page finds no token in storage. The refresh token is an
 * HttpOnly cookie the browser sends to the auth routes; after a reload the
 * session is restored from it (AuthService.restore).
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly access = signal<CookieSession | null>(null);
  readonly user = signal<MeDto | null>(null);
  readonly signedIn = computed(() => this.access() !== null);

  accessToken(): string | null {
    return this.access()?.accessToken ?? null;
  }

  store(session: CookieSession): void {
    this.access.set({ accessToken: session.accessToken, expiresIn: session.expiresIn });
  }

  clear(): void {
    this.access.set(null);
    this.user.set(null);
  }
}
