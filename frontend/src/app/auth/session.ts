import { Injectable, computed, signal } from '@angular/core';
import type { MeDto, TokenPair } from '@provenant/shared';

const STORAGE_KEY = 'provenant.console.tokens';

/**
 * The signed-in user's tokens and identity. Tokens live in sessionStorage so
 * they survive a reload but not the closing of the tab.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly tokens = signal<TokenPair | null>(readStoredTokens());
  readonly user = signal<MeDto | null>(null);
  readonly signedIn = computed(() => this.tokens() !== null);

  accessToken(): string | null {
    return this.tokens()?.accessToken ?? null;
  }

  refreshToken(): string | null {
    return this.tokens()?.refreshToken ?? null;
  }

  store(pair: TokenPair): void {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(pair));
    this.tokens.set(pair);
  }

  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
    this.tokens.set(null);
    this.user.set(null);
  }
}

function readStoredTokens(): TokenPair | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<TokenPair>;
    if (typeof parsed.accessToken === 'string' && typeof parsed.refreshToken === 'string') return parsed as TokenPair;
  } catch {
    // A corrupted entry is treated as signed out.
  }
  sessionStorage.removeItem(STORAGE_KEY);
  return null;
}
