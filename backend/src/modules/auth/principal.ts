import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@provenant/shared';

/** Who is calling: a user with a JWT, or an integration with an API key. */
export interface Principal {
  userId: string;
  roles: Role[];
  apiKeyId: string | null;
  /** When the access token expires (ms since the epoch); null for an API key. Streams end then. */
  expiresAt: number | null;
}

/** The audit actor for a principal: ids only, never an e-mail. */
export function actorOf(p: Principal): string {
  return p.apiKeyId ? `apikey:${p.apiKeyId}` : `user:${p.userId}`;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal);
