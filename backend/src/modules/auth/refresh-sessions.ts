import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TokenPair } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { sha256Hex } from '../core/hashing';
import { UserRepository } from '../users/user.repository';
import { RefreshTokenRepository } from './refresh-token.repository';
import { TokenService } from './token-service';

const INVALID = 'refresh token is invalid, expired or already used';

/**
 * A login's chain of refresh tokens (its family): rotation on refresh, logout,
 * and replay detection. A rotated token presented again was copied by someone:
 * the whole family is revoked, ending the thief's and the victim's sessions.
 */
@Injectable()
export class RefreshSessions {
  private readonly refreshTokens = new RefreshTokenRepository();
  private readonly users = new UserRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly audit: AuditLog,
  ) {}

  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256Hex(refreshToken);
    // Returns instead of throwing inside, so a spent token and a revoked family commit even when the answer is 401.
    const issued = await this.dataSource.transaction(async (m): Promise<TokenPair | null> => {
      const spent = await this.refreshTokens.consume(m, hash);
      if (!spent) {
        const replayed = await this.refreshTokens.findRotated(m, hash);
        if (replayed) {
          await this.refreshTokens.revokeFamily(m, replayed.familyId);
          await this.audit.append(m, {
            actor: 'anonymous',
            action: 'auth.refresh_reused',
            subjectType: 'user',
            subjectId: replayed.userId,
            body: { familyId: replayed.familyId, refreshTokenId: replayed.id },
          });
        }
        return null;
      }
      const user = await this.users.findById(m, spent.userId);
      if (!user || user.disabledAt) return null;
      await this.audit.append(m, { actor: `user:${user.id}`, action: 'auth.refresh', subjectType: 'user', subjectId: user.id, body: { familyId: spent.familyId } });
      return this.tokens.issue(user.id, user.roles, m, spent.familyId);
    });
    if (!issued) throw new UnauthorizedException(INVALID);
    return issued;
  }

  /** Ends the session the refresh token belongs to: every token of its family, spent or not. */
  async logout(userId: string, refreshToken: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const token = await this.refreshTokens.findOfUser(m, sha256Hex(refreshToken), userId);
      if (!token) throw new BadRequestException('refreshToken: is not a refresh token of the signed-in user');
      await this.refreshTokens.revokeFamily(m, token.familyId);
      await this.audit.append(m, { actor, action: 'auth.logout', subjectType: 'user', subjectId: userId, body: { familyId: token.familyId } });
    });
  }
}
