import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy';
import { AccessDenials } from './access-denials';
import { AccountStatus } from './account-status';
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
    private readonly accounts: AccountStatus,
    private readonly denials: AccessDenials,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [ctx.getHandler(), ctx.getClass()]);
    if (!policy) throw new ForbiddenException('this route has no access policy');
    if (policy.kind === 'public') return true;

    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(req);
    if (!principal) throw new UnauthorizedException('missing or invalid credentials');
    if (!principal.roles.some((r) => policy.roles.includes(r))) {
      this.denials.record(principal, req.method, (req.route as { path?: string } | undefined)?.path ?? req.path);
      throw new ForbiddenException(`requires one of the roles: ${policy.roles.join(', ')}`);
    }
    req.principal = principal;
    return true;
  }

  /** API keys are resolved against their owner's current state on every use; a token's user is checked through AccountStatus. */
  private async authenticate(req: Request): Promise<Principal | null> {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const apiKey = (req.headers['x-api-key'] as string | undefined) ?? (bearer?.startsWith(API_KEY_PREFIX) ? bearer : undefined);
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
