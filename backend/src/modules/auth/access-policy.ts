import { SetMetadata } from '@nestjs/common';
import { ROLES, type Role } from '@provenant/shared';

export const ACCESS_POLICY = 'provenant:access-policy';

export type AccessPolicy = { kind: 'public'; why: string } | { kind: 'roles'; roles: readonly Role[] };

/** Allow callers holding any of these roles. Every route states its policy; one without is refused. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_POLICY, { kind: 'roles', roles } satisfies AccessPolicy);

/** Any signed-in user or API key, whatever its roles. */
export const Authenticated = () => SetMetadata(ACCESS_POLICY, { kind: 'roles', roles: ROLES } satisfies AccessPolicy);

/** No credentials needed; the reason is required so each exception is deliberate. */
export const Public = (why: string) => SetMetadata(ACCESS_POLICY, { kind: 'public', why } satisfies AccessPolicy);
