import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { VerifyResponseDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { Roles } from '../auth/access-policy';
import { actorOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { APP_CONFIG } from '../core/tokens';
import { tooManyRequests } from '../http/too-many-requests';
import { PublisherVerification } from './publisher-verification';
import { TokenBuckets } from './token-buckets';
import { ApiContract } from '../http/api-contract';

@ApiTags('provenance')
@Controller('api/v1/verify')
export class VerifyController {
  private readonly limiter: TokenBuckets;

  constructor(
    private readonly verification: PublisherVerification,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.limiter = new TokenBuckets({ ratePerMinute: config.VERIFY_RATE_PER_MINUTE, burst: config.VERIFY_RATE_BURST });
  }

  /**
   * Where a video came from and whether it was released: multipart field
   * `file` (an MP4). Rate-limited per caller (VERIFY_RATE_PER_MINUTE,
   * VERIFY_RATE_BURST); over the limit the answer is 429 with Retry-After.
   */
  @Post()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiContract({ summary: 'Where a video came from and whether it was released', body: { multipart: { file: { description: 'the MP4 to check', required: true, binary: true } } }, answer: { status: 200, type: 'VerifyResponseDto' }, errors: [400, 413, 429] })
  @Roles('publisher', 'admin')
  verify(@Req() req: Request, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response): Promise<VerifyResponseDto> {
    const waitMs = this.limiter.take(actorOf(p));
    if (waitMs > 0) throw tooManyRequests(res, waitMs, 'verification rate limit reached');
    return this.verification.verify(p, req);
  }
}
