import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ACCESS_POLICY, type AccessPolicy } from './access-policy';
import { AccessDenials } from './access-denials';
import { Authenticator } from './authenticator';
import type { Principal } from './principal';

/**
 * Global guard: a route is reachable only under the policy it declares.
 * A route that declares none is refused (fail closed), so forgetting a
 * decorator can never open an endpoint.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly denials: AccessDenials,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [ctx.getHandler(), ctx.getClass()]);
    if (!policy) throw new ForbiddenException('this route has no access policy');
    if (policy.kind === 'public') return true;

    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const access = await this.authenticator.authorize(req.headers, policy.roles);
    if ('refused' in access) {
      if (access.refused === 401) throw new UnauthorizedException(access.message);
      this.denials.record(access.principal, req.method, (req.route as { path?: string } | undefined)?.path ?? req.path);
      throw new ForbiddenException(access.message);
    }
    req.principal = access.principal;
    return true;
  }
}
