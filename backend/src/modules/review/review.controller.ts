import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PAGE_LIMITS, REVIEWER_ROLES, reviewReasonCatalogue, type ReviewReasonCatalogueDto, type ReviewClaimDto, type ReviewDecisionResultDto, type ReviewQueueItemDto, type ReviewReopenResultDto } from '@provenant/shared';
import { Authenticated, Roles } from '../auth/access-policy';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { limitParam, queryLimit, queryText } from '../http/query-params';
import { ZodBody } from '../http/zod-body.pipe';
import { ClaimBody, DecisionBody, ReasonBody } from './review-bodies';
import { ReviewClaims } from './review-claims';
import { ReviewDecisions } from './review-decisions';
import { ReviewQueue } from './review-queue';
import { ReviewReopening } from './review-reopening';
import { ApiContract } from '../http/api-contract';

const QueueQuery = z.object({ limit: limitParam(PAGE_LIMITS.reviewQueue) });
const clipIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('clipId: must be a clip id (UUID)') });

@ApiTags('review')
@Controller('api/v1/review')
export class ReviewController {
  constructor(
    private readonly claims: ReviewClaims,
    private readonly decisions: ReviewDecisions,
    private readonly queue: ReviewQueue,
    private readonly reopening: ReviewReopening,
  ) {}

  /** The reason codes a decision may name, per decision, with the catalogue version decisions are stored under. */
  @Get('reason-codes')
  @ApiContract({ summary: 'The review reason catalogue and its version', answer: { status: 200, type: 'ReviewReasonCatalogueDto' } })
  @Authenticated()
  reasonCodes(): ReviewReasonCatalogueDto {
    return reviewReasonCatalogue();
  }

  /** Claim the next clip in the queue, or `{"clipId"}` a given one, under a lease. */
  @Post('claim')
  @HttpCode(200)
  @ApiContract({ summary: 'Claim the next clip in the queue, or a given one', body: ClaimBody, answer: { status: 200, type: 'ReviewClaimDto' }, errors: [400, 404, 409] })
  @Roles(...REVIEWER_ROLES)
  claim(@Body(new ZodBody(ClaimBody)) body: z.infer<typeof ClaimBody>, @CurrentPrincipal() p: Principal): Promise<ReviewClaimDto> {
    return this.claims.claim(p, body.clipId);
  }

  /** Extend your live lease on a clip. */
  @Post(':clipId/heartbeat')
  @HttpCode(200)
  @ApiContract({ summary: 'Extend your lease on a clip', answer: { status: 200, type: 'ReviewClaimDto' }, errors: [400, 404, 409] })
  @Roles(...REVIEWER_ROLES)
  heartbeat(@Param('clipId', clipIdPipe) clipId: string, @CurrentPrincipal() p: Principal): Promise<ReviewClaimDto> {
    return this.claims.heartbeat(p, clipId);
  }

  /** Give your claim back to the queue without deciding. */
  @Delete(':clipId/claim')
  @HttpCode(204)
  @ApiContract({ summary: 'Give a claim back without deciding', answer: { status: 204 }, errors: [400, 404, 409] })
  @Roles(...REVIEWER_ROLES)
  giveBack(@Param('clipId', clipIdPipe) clipId: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.claims.giveBack(p, clipId);
  }

  /** Approve, reject or escalate a clip you hold a live claim on. */
  @Post(':clipId/decision')
  @HttpCode(200)
  @ApiContract({ summary: 'Approve, reject or escalate a claimed clip', body: DecisionBody, answer: { status: 200, type: 'ReviewDecisionResultDto' }, errors: [400, 404, 409] })
  @Roles(...REVIEWER_ROLES)
  decide(@Param('clipId', clipIdPipe) clipId: string, @Body(new ZodBody(DecisionBody)) body: z.infer<typeof DecisionBody>, @CurrentPrincipal() p: Principal): Promise<ReviewDecisionResultDto> {
    return this.decisions.decide(p, clipId, body);
  }

  /** Open review items, most urgent first. */
  @Get('queue')
  @ApiContract({ summary: 'Open review items, most urgent first', query: QueueQuery, answer: { status: 200, type: 'ReviewQueueItemDto', array: true }, errors: [400] })
  @Roles(...REVIEWER_ROLES, 'admin')
  list(@Query() q: Record<string, unknown>): Promise<ReviewQueueItemDto[]> {
    return this.queue.list({ limit: queryLimit(q, PAGE_LIMITS.reviewQueue) });
  }

  /** Senior reviewers only: send a BLOCKED clip back to review (four eyes), with a written reason. */
  @Post(':clipId/override')
  @HttpCode(200)
  @ApiContract({ summary: 'Send a BLOCKED clip back to review', body: ReasonBody, answer: { status: 200, type: 'ReviewReopenResultDto' }, errors: [400, 404, 409] })
  @Roles('senior_reviewer')
  override(@Param('clipId', clipIdPipe) clipId: string, @Body(new ZodBody(ReasonBody)) body: z.infer<typeof ReasonBody>, @CurrentPrincipal() p: Principal): Promise<ReviewReopenResultDto> {
    return this.reopening.reopen(p, clipId, 'blocked_override', body.reason);
  }

  /** Admins only: send a REJECTED clip back to review, with a written reason. */
  @Post(':clipId/reopen')
  @HttpCode(200)
  @ApiContract({ summary: 'Send a REJECTED clip back to review', body: ReasonBody, answer: { status: 200, type: 'ReviewReopenResultDto' }, errors: [400, 404, 409] })
  @Roles('admin')
  reopen(@Param('clipId', clipIdPipe) clipId: string, @Body(new ZodBody(ReasonBody)) body: z.infer<typeof ReasonBody>, @CurrentPrincipal() p: Principal): Promise<ReviewReopenResultDto> {
    return this.reopening.reopen(p, clipId, 'rejection_reopen', body.reason);
  }
}
