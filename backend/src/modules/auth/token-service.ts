import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { isRole, type Role, type TokenPair } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { randomToken, sha256Hex } from '../core/hashing';
import type { Queryable } from '../../database/queryable';
import { APP_CONFIG } from '../core/tokens';
import { RefreshTokenRepository } from './refresh-token.repository';

interface AccessClaims {
  sub: string;
  roles: Role[];
  typ: 'access';
  exp?: number;
}

/** Short-lived JWT access tokens; refresh tokens are random, stored hashed and rotated on every use (RefreshSessions). */
@Injectable()
export class TokenService {
  private readonly refreshTokens = new RefreshTokenRepository();

  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * `db`: the caller's transaction, when the issue must commit with something else.
   * `familyId`: the login this rotation continues; a login starts a new family.
   */
  async issue(userId: string, roles: Role[], db: Queryable = this.dataSource, familyId: string = randomUUID()): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync({ sub: userId, roles, typ: 'access' } satisfies AccessClaims, { expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS });
    const refreshToken = randomToken('pvr_');
    await this.refreshTokens.insert(db, {
      userId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      familyId,
    });
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The user, roles and expiry (ms since the epoch) of a valid access token, or null. */
  async verifyAccess(token: string): Promise<{ userId: string; roles: Role[]; expiresAt: number } | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token);
      // jsonwebtoken accepts a token without `exp` as never expiring; ours always carry one.
      if (typeof claims.exp !== 'number') return null;
      if (claims.typ !== 'access' || !Array.isArray(claims.roles) || !claims.roles.every(isRole)) return null;
      return { userId: claims.sub, roles: claims.roles, expiresAt: claims.exp * 1000 };
    } catch {
      return null;
    }
  }
}
