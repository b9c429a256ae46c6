import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { Role } from '@provenant/shared';
import { API_KEY_PREFIX, ApiKeys } from './api-keys';
import type { Principal } from './principal';
import { TokenService } from './token-service';

export type Authorization = { principal: Principal } | { refused: 401 | 403; message: string };

/**
 * Who presents a request's credentials (a bearer access token or an API key) and whether they hold
 * one of the roles asked for: the api's guard and the worker's /metrics both decide with this.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeys,
  ) {}

  async authorize(headers: IncomingHttpHeaders, roles: readonly Role[]): Promise<Authorization> {
    const principal = await this.authenticate(headers);
    if (!principal) return { refused: 401, message: 'missing or invalid credentials' };
    if (!principal.roles.some((r) => roles.includes(r))) return { refused: 403, message: `requires one of the roles: ${roles.join(', ')}` };
    return { principal };
  }

  private async authenticate(headers: IncomingHttpHeaders): Promise<Principal | null> {
    const header = headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKey = (headers['x-api-key'] as string | undefined) ?? (bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined);
    if (apiKey) {
      const key = await this.apiKeys.authenticate(apiKey);
      return key && { userId: key.userId, roles: key.roles, apiKeyId: key.apiKeyId };
    }
    if (!bearer) return null;
    const access = await this.tokens.verifyAccess(bearer);
    return access && { userId: access.userId, roles: access.roles, apiKeyId: null };
  }
}
