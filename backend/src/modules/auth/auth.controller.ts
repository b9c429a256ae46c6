import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { CookieSession, MeDto, TokenPair } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../core/tokens';
import { AuditLog } from '../audit/audit-log';
import { tooManyRequests } from '../http/too-many-requests';
import { ZodBody } from '../http/zod-body.pipe';
import { Users } from '../users/users';
import { Authenticated, Public } from './access-policy';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { actorOf, CurrentPrincipal, type Principal } from './principal';
import { clearRefreshCookie, inCookie, REFRESH_COOKIE, refreshCookieOf } from './refresh-cookie';
import { RefreshSessions } from './refresh-sessions';
import { TokenService } from './token-service';
import { ApiContract } from '../http/api-contract';

const LoginBody = z.object({
  email: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(512),
  refreshTokenIn: z.enum(['body', 'cookie'], { message: "must be 'body' or 'cookie'" }).optional(),
}).meta({ examples: [{ email: 'admin@example.com', password: 'correct horse battery staple' }] });
// Absent: the refresh token is the HttpOnly cookie (the console's session).
const RefreshBody = z.object({ refreshToken: z.string().min(1, 'is required').max(200).optional() }).meta({ examples: [{ refreshToken: 'pvr_…' }, {}] });
// Verified against when the e-mail is unknown, so both failures take the same time.
const DUMMY_HASH = PasswordHasher.hash('timing-equaliser-not-a-password');

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly users: Users,
    private readonly tokens: TokenService,
    private readonly audit: AuditLog,
    private readonly dataSource: DataSource,
    private readonly sessions: RefreshSessions,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Throttled per account and per client address (LOGIN_* settings): over the
   * limit, 429 with Retry-After, whatever the password; the password is not
   * even checked then.
   */
  @Post('login')
  @HttpCode(200)
  @ApiContract({ summary: 'Sign in with e-mail and password', body: LoginBody, answer: { status: 200, type: ['TokenPair', 'CookieSession'] }, errors: [400, 401, 429] })
  @Public('signing in is how credentials are obtained')
  async login(@Body(new ZodBody(LoginBody)) body: z.infer<typeof LoginBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPair | CookieSession> {
    // req.ip follows TRUST_PROXY: the socket's peer unless that is a trusted proxy.
    const admission = await this.throttle.admit(body.email, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!admission.admitted) throw tooManyRequests(res, admission.waitMs, 'too many failed sign-ins');
    const user = await this.users.findByEmail(body.email);
    const ok = await PasswordHasher.verify(user?.passwordHash ?? (await DUMMY_HASH), body.password);
    if (!user || !ok || user.disabledAt) {
      await this.throttle.failed(admission.attempt, user?.id ?? null);
      throw new UnauthorizedException('e-mail or password is wrong');
    }
    // The login is recorded with the refresh token it issues: one commits only with the other.
    const pair = await this.dataSource.transaction(async (m) => {
      await this.throttle.succeeded(m, admission.attempt);
      await this.audit.append(m, { actor: `user:${user.id}`, action: 'auth.login', subjectType: 'user', subjectId: user.id, body: {} });
      return this.tokens.issue(user.id, user.roles, m);
    });
    return body.refreshTokenIn === 'cookie' ? inCookie(res, pair, this.config.REFRESH_TOKEN_TTL_SECONDS) : pair;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiContract({ summary: 'Trade a refresh token (body or cookie) for a new pair; each works once', body: RefreshBody, answer: { status: 200, type: ['TokenPair', 'CookieSession'] }, errors: [400, 401] })
  @Public('a refresh token is itself the credential')
  async refresh(@Body(new ZodBody(RefreshBody)) body: z.infer<typeof RefreshBody>, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<TokenPair | CookieSession> {
    const fromCookie = body.refreshToken === undefined;
    const pair = await this.sessions.refresh(presentedRefreshToken(body, req));
    // Answered the way it was asked: a cookie session stays one.
    return fromCookie ? inCookie(res, pair, this.config.REFRESH_TOKEN_TTL_SECONDS) : pair;
  }

  /** Ends this session: the refresh token's whole family is revoked. Access tokens already issued live out their 15 minutes. */
  @Post('logout')
  @HttpCode(204)
  @ApiContract({ summary: 'End this session (revokes its refresh-token family)', body: RefreshBody, answer: { status: 204 }, errors: [400] })
  @Authenticated()
  async logout(@Body(new ZodBody(RefreshBody)) body: z.infer<typeof RefreshBody>, @CurrentPrincipal() p: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.logout(p.userId, presentedRefreshToken(body, req), actorOf(p));
    if (body.refreshToken === undefined) clearRefreshCookie(res);
  }

  @Get('me')
  @ApiContract({ summary: 'Who is signed in', answer: { status: 200, type: 'MeDto' } })
  @Authenticated()
  async me(@CurrentPrincipal() p: Principal): Promise<MeDto> {
    const user = await this.users.findById(p.userId);
    if (!user) throw new UnauthorizedException('user no longer exists');
    return { id: user.id, email: user.email, roles: p.roles };
  }
}

function presentedRefreshToken(body: { refreshToken?: string }, req: Request): string {
  const token = body.refreshToken ?? refreshCookieOf(req);
  if (!token) throw new BadRequestException(`refreshToken: is required, in the body or as the ${REFRESH_COOKIE} cookie`);
  return token;
}
