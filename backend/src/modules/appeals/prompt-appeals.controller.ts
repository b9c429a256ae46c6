import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { APPEAL_STATUSES, PAGE_LIMITS, type AppealResultDto, type PromptAppealDto } from '@provenant/shared';
import { Roles } from '../auth/access-policy';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiContract } from '../http/api-contract';
import { limitParam, queryLimit, queryText } from '../http/query-params';
import { ZodBody } from '../http/zod-body.pipe';
import { AppealBody, AppealDecisionBody } from './appeal-bodies';
import { PromptAppeals } from './prompt-appeals';

const AppealListQuery = z.object({ status: z.enum(APPEAL_STATUSES).optional().describe('appeals in this status (default pending)'), limit: limitParam(PAGE_LIMITS.appeals) });
const uuidPipe = (field: string) => new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${field}: must be a clip id (UUID)`) });

@ApiTags('appeals')
@Controller('api/v1')
export class PromptAppealsController {
  constructor(private readonly appeals: PromptAppeals) {}

  /** The submitter of a prompt blocked before generation appeals the block, once, with a written reason. */
  @Post('clips/:id/appeal')
  @HttpCode(201)
  @ApiContract({ summary: 'Appeal the block of your prompt, once', body: AppealBody, answer: { status: 201, type: 'AppealResultDto' }, errors: [400, 404, 409] })
  @Roles('creator', 'admin')
  file(@Param('id', uuidPipe('id')) id: string, @Body(new ZodBody(AppealBody)) body: z.infer<typeof AppealBody>, @CurrentPrincipal() p: Principal): Promise<AppealResultDto> {
    return this.appeals.file(p, id, body.reason);
  }

  /** Appealed prompts with the moderation evidence that blocked them: pending ones oldest first. */
  @Get('review/appeals')
  @ApiContract({ summary: 'Appealed prompt blocks, with their moderation evidence', query: AppealListQuery, answer: { status: 200, type: 'PromptAppealDto', array: true }, errors: [400] })
  @Roles('senior_reviewer', 'admin')
  list(@Query() q: Record<string, unknown>): Promise<PromptAppealDto[]> {
    return this.appeals.list({ status: queryText(q, 'status'), limit: queryLimit(q, PAGE_LIMITS.appeals) });
  }

  /** Senior reviewers only: grant (the prompt goes on to generation, then four-eyes review) or deny an appeal. */
  @Post('review/appeals/:clipId')
  @HttpCode(200)
  @ApiContract({ summary: 'Grant or deny an appeal of a prompt block', body: AppealDecisionBody, answer: { status: 200, type: 'AppealResultDto' }, errors: [400, 404, 409] })
  @Roles('senior_reviewer')
  decide(@Param('clipId', uuidPipe('clipId')) clipId: string, @Body(new ZodBody(AppealDecisionBody)) body: z.infer<typeof AppealDecisionBody>, @CurrentPrincipal() p: Principal): Promise<AppealResultDto> {
    return this.appeals.decide(p, clipId, body);
  }
}
