import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import type { CookieSession } from '@provenant/shared';
import { Session } from '../auth/session';
import { ApiError } from './api-error';

/**
 * Every call to the Provenant API goes through here: it adds the bearer
 * token, and on a 401 refreshes the tokens once and retries; if that fails
 * too, the session is over and the user is sent to the login page.
 * Paths are relative: the API serves this console from the same origin.
 */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private refreshInFlight: Promise<boolean> | null = null;

  async get<T>(path: string): Promise<T> {
    return (await this.authorized(path, { method: 'GET' })).json() as Promise<T>;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return (await this.authorized(path, jsonRequest(body))).json() as Promise<T>;
  }

  /** A multipart upload (a file input's file); the browser sets the boundary. */
  async postForm<T>(path: string, form: FormData): Promise<T> {
    return (await this.authorized(path, { method: 'POST', body: form })).json() as Promise<T>;
  }

  /** A call answered with no body (204). */
  async postNoContent(path: string, body: unknown): Promise<void> {
    await this.authorized(path, jsonRequest(body));
  }

  async delete(path: string): Promise<void> {
    await this.authorized(path, { method: 'DELETE' });
  }

  /**
   * A request that must outlive the page (sent from `pagehide`): `keepalive`,
   * with the current token, no refresh and no answer read.
   */
  sendWhileLeaving(path: string, method: string): void {
    const token = this.session.accessToken();
    if (!token) return;
    void fetch(path, { method, keepalive: true, headers: { Authorization: `Bearer ${token}` } }).catch(() => undefined);
  }

  /** A call that needs no token (login); a 401 here is a plain error, not an expired session. */
  async postAnonymous<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(path, jsonRequest(body));
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response.json() as Promise<T>;
  }

  /** Opens a long-lived authorized response (a server-sent event stream) and hands it back unread. */
  open(path: string, init: RequestInit): Promise<Response> {
    return this.authorized(path, init);
  }

  private async authorized(path: string, init: RequestInit): Promise<Response> {
    let response = await this.fetchWithToken(path, init);
    if (response.status === 401 && (await this.refreshFromCookie())) {
      response = await this.fetchWithToken(path, init);
    }
    if (response.status === 401) {
      this.endSession();
      throw new ApiError(401, 'Your session has ended. Please sign in again.');
    }
    if (!response.ok) throw await ApiError.fromResponse(response);
    return response;
  }

  private fetchWithToken(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = this.session.accessToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(path, { ...init, headers });
  }

  /** A new access token from the HttpOnly refresh cookie (which rotates); false when there is no live session. */
  refreshFromCookie(): Promise<boolean> {
    // Concurrent 401s share one refresh, so a refresh token is never spent twice.
    this.refreshInFlight ??= this.exchangeRefreshCookie().finally(() => (this.refreshInFlight = null));
    return this.refreshInFlight;
  }

  private async exchangeRefreshCookie(): Promise<boolean> {
    try {
      this.session.store(await this.postAnonymous<CookieSession>('/api/v1/auth/refresh', {}));
      return true;
    } catch {
      return false;
    }
  }

  private endSession(): void {
    if (!this.session.signedIn()) return;
    this.session.clear();
    const returnUrl = this.router.url;
    void this.router.navigate(['/login'], { queryParams: returnUrl.startsWith('/login') ? {} : { returnUrl } });
  }
}

function jsonRequest(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
}
