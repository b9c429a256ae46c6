import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy';
import { API_KEY_PREFIX, ApiKeys } from './api-keys';
import type { Principal } from './principal';
import { TokenService } from './token-service';

/**
 * Global guard: a route is reachable only under the policy it declares.
 * A route that declares none is refused (fail closed), so forgetting a
 * decorator can never open an endpoint.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly apiKeys: ApiKeys,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [ctx.getHandler(), ctx.getClass()]);
    if (!policy) throw new ForbiddenException('this route has no access policy');
    if (policy.kind === 'public') return true;

    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(req);
    if (!principal) throw new UnauthorizedException('missing or invalid credentials');
    if (!principal.roles.some((r) => policy.roles.includes(r))) {
      throw new ForbiddenException(`requires one of the roles: ${policy.roles.join(', ')}`);
    }
    req.principal = principal;
    return true;
  }

  private async authenticate(req: Request): Promise<Principal | null> {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKey = (req.headers['x-api-key'] as string | undefined) ?? (bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined);
    if (apiKey) {
      const key = await this.apiKeys.authenticate(apiKey);
      return key && { userId: key.userId, roles: key.roles, apiKeyId: key.apiKeyId };
    }
    if (!bearer) return null;
    const access = await this.tokens.verifyAccess(bearer);
    return access && { userId: access.userId, roles: access.roles, apiKeyId: null };
  }
}
