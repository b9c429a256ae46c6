import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Put, Res, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ModerationPolicyDto } from '@provenant/shared';
import { Roles } from '../auth/access-policy';
import { actorOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { ModerationEvidence } from './moderation-evidence';
import { ModerationPolicies } from './moderation-policies';
import { ApiContract } from '../http/api-contract';

const POLICY_READERS = ['admin', 'senior_reviewer', 'compliance'] as const;
// Whoever may read the clip may see the frames its moderation stored as evidence.
const CLIP_READERS = ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'creator'] as const;
const clipIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a clip id (UUID)') });

@ApiTags('moderation')
@Controller('api/v1/moderation')
export class ModerationController {
  constructor(
    private readonly policies: ModerationPolicies,
    private readonly evidence: ModerationEvidence,
  ) {}

  /** The policy the moderation stages apply now: version, digest, document, and who set it. */
  @Get('policy')
  @ApiContract({ summary: 'The moderation policy in force', answer: { status: 200, type: 'ModerationPolicyDto' } })
  @Roles(...POLICY_READERS)
  policy(): Promise<ModerationPolicyDto> {
    return this.policies.describe();
  }

  /** Stores a new policy version (a ModerationPolicy document with a version not used before) and puts it in force. Audited. */
  @Put('policy')
  @ApiContract({ summary: 'Put a new moderation policy version in force', body: { type: 'ModerationPolicy' }, answer: { status: 200, type: 'ModerationPolicyDto' }, errors: [400, 409] })
  @Roles('admin')
  replace(@Body() document: unknown, @CurrentPrincipal() p: Principal): Promise<ModerationPolicyDto> {
    return this.policies.replace(document, actorOf(p));
  }

  /** A worst-frame thumbnail named in the clip's moderation results (JPEG). */
  @Get('clips/:id/evidence/:sha256')
  @ApiContract({ summary: 'A worst-frame evidence thumbnail', answer: { status: 200, contentType: 'image/jpeg', description: 'the JPEG thumbnail' }, errors: [400, 404] })
  @Roles(...CLIP_READERS)
  async evidenceImage(
    @Param('id', clipIdPipe) id: string,
    @Param('sha256') sha256: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const image = await this.evidence.open(id, sha256, p);
    res.setHeader('x-content-sha256', sha256);
    // Content-addressed: the bytes behind this URL never change.
    res.setHeader('cache-control', 'private, max-age=86400, immutable');
    return new StreamableFile(image.stream, { type: 'image/jpeg', length: image.bytes });
  }
}
