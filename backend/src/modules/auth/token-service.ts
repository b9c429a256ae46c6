import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { updatedRows } from '../../database/updated-rows';
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
    private readonly dataSource: DataSource,
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
    const rows = await updatedRows<{ user_id: string }>(
      this.dataSource,
      `UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING user_id`,
      [sha256Hex(token)],
    );
    return rows[0]?.user_id ?? null;
  }

  async revokeAllFor(userId: string): Promise<void> {
    await this.refreshTokens.update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
