import { JwtService } from '@nestjs/jwt';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { jwtOptions } from './jwt-options';
import { TokenService } from './token-service';

const SECRET = 'a-test-secret-that-is-at-least-32-characters';
const claims = { sub: '00000000-0000-4000-8000-000000000001', roles: ['admin'], typ: 'access' };

describe('TokenService.verifyAccess', () => {
  const jwt = new JwtService(jwtOptions(SECRET));
  const config = { ACCESS_TOKEN_TTL_SECONDS: 900, REFRESH_TOKEN_TTL_SECONDS: 3600 } as AppConfig;
  const tokens = new TokenService(jwt, config, {} as DataSource);
  // Signed with the real secret, bypassing the module's sign options, as a forger holding it (or a bug) would.
  const raw = new JwtService({ secret: SECRET });

  it('accepts a token it signed', async () => {
    expect(await tokens.verifyAccess(await jwt.signAsync(claims, { expiresIn: 60 }))).toEqual({ userId: claims.sub, roles: ['admin'], expiresAt: expect.any(Number) });
  });

  it('refuses a token without exp', async () => {
    const token = await raw.signAsync(claims, { algorithm: 'HS256', issuer: 'provenant' });
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
    expect(await tokens.verifyAccess(token)).toBeNull();
  });

  it.each(['HS384', 'HS512'] as const)('refuses a token signed with %s', async (algorithm) => {
    expect(await tokens.verifyAccess(await raw.signAsync(claims, { algorithm, issuer: 'provenant', expiresIn: 60 }))).toBeNull();
  });

  it('refuses an unsigned token (alg none)', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, iss: 'provenant', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    expect(await tokens.verifyAccess(unsigned)).toBeNull();
  });
});
