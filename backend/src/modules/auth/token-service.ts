import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { isRole, type Role, type TokenPair } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { RefreshTokenEntity } from '../../database/entities';
import { APP_CONFIG } from '../core/tokens';
import { randomToken, sha256Hex } from './secrets';

interface AccessClaims {
  sub: string;
  roles: Role[];
  typ: 'access';
}

/** Short-lived JWT access tokens; refresh tokens are random, stored hashed and rotated on every use. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(RefreshTokenEntity) private readonly refreshTokens: Repository<RefreshTokenEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(userId: string, roles: Role[]): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync({ sub: userId, roles, typ: 'access' } satisfies AccessClaims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    const refreshToken = randomToken('pvr_');
    await this.refreshTokens.insert({
      userId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
    });
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Returns the user id of a valid access token, or null. */
  async verifyAccess(token: string): Promise<{ userId: string; roles: Role[] } | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token);
      if (claims.typ !== 'access' || !Array.isArray(claims.roles) || !claims.roles.every(isRole)) return null;
      return { userId: claims.sub, roles: claims.roles };
    } catch {
      return null;
    }
  }

  /** Spends a refresh token: it is revoked whether or not the caller then succeeds. */
  async consumeRefresh(token: string): Promise<string | null> {
    const result = await this.refreshTokens
      .createQueryBuilder()
      .update()
      .set({ revokedAt: () => 'now()' })
      .where({ tokenHash: sha256Hex(token), revokedAt: IsNull() })
      .andWhere('expires_at > now()')
      .returning(['user_id'])
      .execute();
    const row = result.raw[0] as { user_id: string } | undefined;
    return row?.user_id ?? null;
  }

  async revokeAllFor(userId: string): Promise<void> {
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
