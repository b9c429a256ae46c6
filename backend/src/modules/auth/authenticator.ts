import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { Role } from '@provenant/shared';
import { AccountStatus } from './account-status';
import { API_KEY_PREFIX, ApiKeys } from './api-keys';
import type { Principal } from './principal';
import { TokenService } from './token-service';

/** A 403 names who was refused, so the refusal can be audited. */
export type Authorization = { principal: Principal } | { refused: 401; message: string } | { refused: 403; message: string; principal: Principal };

/**
 * Who presents a request's credentials (a bearer access token or an API key) and whether they hold
 * one of the roles asked for: the api's guard and the worker's /metrics both decide with this.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeys,
    private readonly accounts: AccountStatus,
  ) {}

  async authorize(headers: IncomingHttpHeaders, roles: readonly Role[]): Promise<Authorization> {
    const principal = await this.authenticate(headers);
    if (!principal) return { refused: 401, message: 'missing or invalid credentials' };
    if (!principal.roles.some((r) => roles.includes(r))) return { refused: 403, message: `requires one of the roles: ${roles.join(', ')}`, principal };
    return { principal };
  }

  /** API keys are resolved against their owner's current state on every use; a token's user is checked through AccountStatus. */
  private async authenticate(headers: IncomingHttpHeaders): Promise<Principal | null> {
    const header = headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKey = (headers['x-api-key'] as string | undefined) ?? (bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined);
    if (apiKey) {
      const key = await this.apiKeys.authenticate(apiKey);
      return key && { userId: key.userId, roles: key.roles, apiKeyId: key.apiKeyId, expiresAt: null };
    }
    if (!bearer) return null;
    const access = await this.tokens.verifyAccess(bearer);
    if (!access) return null;
    // A token outlives changes to its account: a disabled user is refused, and only the roles still held count.
    const account = await this.accounts.current(access.userId);
    if (!account?.enabled) return null;
    const roles = access.roles.filter((r) => account.roles.includes(r));
    return { userId: access.userId, roles, apiKeyId: null, expiresAt: access.expiresAt };
  }
}
