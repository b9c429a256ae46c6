import type { Request, Response } from 'express';
import type { CookieSession, TokenPair } from '@provenant/shared';

/** The console's refresh token: HttpOnly (no script reads it), Secure, SameSite=Strict, sent to the auth routes only. */
export const REFRESH_COOKIE = 'provenant_refresh';
const PATH = '/api/v1/auth';

/** The refresh token presented as the cookie, if any. */
export function refreshCookieOf(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === REFRESH_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Sets the refresh token as the cookie and answers without it. */
export function inCookie(res: Response, pair: TokenPair, ttlSeconds: number): CookieSession {
  res.cookie(REFRESH_COOKIE, pair.refreshToken, { httpOnly: true, secure: true, sameSite: 'strict', path: PATH, maxAge: ttlSeconds * 1000 });
  return { accessToken: pair.accessToken, expiresIn: pair.expiresIn };
}

export function clearRefreshCookie(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: PATH });
}
