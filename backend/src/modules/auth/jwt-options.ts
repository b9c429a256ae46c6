import type { JwtModuleOptions } from '@nestjs/jwt';

/** The one algorithm access tokens are signed with; a token naming any other is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'HS256';

export function jwtOptions(secret: string): JwtModuleOptions {
  return {
    secret,
    signOptions: { algorithm: ACCESS_TOKEN_ALGORITHM, issuer: 'provenant' },
    verifyOptions: { algorithms: [ACCESS_TOKEN_ALGORITHM], issuer: 'provenant' },
  };
}
