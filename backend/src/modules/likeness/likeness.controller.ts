import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import type { LikenessAppearanceDto, LikenessEnrolmentDto, LikenessGrantDto, LikenessSubjectDto } from '@provenant/shared';
import { Authenticated, Roles } from '../auth/access-policy';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ApiContract } from '../http/api-contract';
import { ZodBody } from '../http/zod-body.pipe';
import { LikenessGrantBody, LikenessSubjectBody } from './likeness-bodies';
import { LikenessRegistry } from './likeness-registry';

const uuidPipe = (field: string, what: string) => new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${field}: must be a ${what} id (UUID)`) });
const subjectId = uuidPipe('id', 'likeness subject');

/**
 * The likeness registry. Anyone signed in may enrol their own likeness once
 * and manage its grants; admin and compliance enter protected subjects;
 * reviewers read the registry whose matches they judge.
 */
@ApiTags('likeness')
@Controller('api/v1/likeness')
export class LikenessController {
  constructor(private readonly registry: LikenessRegistry) {}

  @Post('subjects')
  @HttpCode(201)
  @ApiContract({ summary: 'Enter a protected subject, or enrol your own likeness (consenting)', body: LikenessSubjectBody, answer: { status: 201, type: 'LikenessSubjectDto' }, errors: [400, 403, 409] })
  @Authenticated()
  register(@Body(new ZodBody(LikenessSubjectBody)) body: z.infer<typeof LikenessSubjectBody>, @CurrentPrincipal() p: Principal): Promise<LikenessSubjectDto> {
    return this.registry.register(p, body);
  }

  @Get('subjects')
  @ApiContract({ summary: 'Every subject of the registry, with its grants', answer: { status: 200, type: 'LikenessSubjectDto', array: true } })
  @Roles('admin', 'compliance', 'reviewer', 'senior_reviewer')
  list(): Promise<LikenessSubjectDto[]> {
    return this.registry.list();
  }

  @Get('subjects/:id')
  @ApiContract({ summary: 'One subject, with its grants', answer: { status: 200, type: 'LikenessSubjectDto' }, errors: [400, 404] })
  @Authenticated()
  get(@Param('id', subjectId) id: string, @CurrentPrincipal() p: Principal): Promise<LikenessSubjectDto> {
    return this.registry.get(p, id);
  }

  @Delete('subjects/:id')
  @HttpCode(204)
  @ApiContract({ summary: 'Erase a subject with its names and grants', answer: { status: 204 }, errors: [400, 403, 404] })
  @Authenticated()
  erase(@Param('id', subjectId) id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.registry.erase(p, id);
  }

  @Post('subjects/:id/images')
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiContract({
    summary: 'Enrol a face template from a JPEG or PNG of exactly one face (the image is not kept)',
    body: { multipart: { file: { description: 'a JPEG or PNG holding exactly one face, at least 80 px wide', required: true, binary: true } } },
    answer: { status: 201, type: 'LikenessEnrolmentDto' },
    errors: [400, 403, 404, 409, 413],
  })
  @Authenticated()
  enrol(@Param('id', subjectId) id: string, @Req() req: Request, @CurrentPrincipal() p: Principal): Promise<LikenessEnrolmentDto> {
    return this.registry.enrol(p, id, req);
  }

  @Post('subjects/:id/grants')
  @HttpCode(201)
  @ApiContract({ summary: 'Allow a creator, or everyone, to use your likeness', body: LikenessGrantBody, answer: { status: 201, type: 'LikenessGrantDto' }, errors: [400, 403, 404] })
  @Authenticated()
  grant(@Param('id', subjectId) id: string, @Body(new ZodBody(LikenessGrantBody)) body: z.infer<typeof LikenessGrantBody>, @CurrentPrincipal() p: Principal): Promise<LikenessGrantDto> {
    return this.registry.grant(p, id, body);
  }

  @Delete('subjects/:id/grants/:grantId')
  @ApiContract({ summary: 'Revoke a grant of your likeness', answer: { status: 200, type: 'LikenessGrantDto' }, errors: [400, 403, 404, 409] })
  @Authenticated()
  revoke(@Param('id', subjectId) id: string, @Param('grantId', uuidPipe('grantId', 'grant')) grantId: string, @CurrentPrincipal() p: Principal): Promise<LikenessGrantDto> {
    return this.registry.revoke(p, id, grantId);
  }

  @Get('me')
  @ApiContract({ summary: 'Your own enrolment and its grants', answer: { status: 200, type: 'LikenessSubjectDto' }, errors: [404] })
  @Authenticated()
  mine(@CurrentPrincipal() p: Principal): Promise<LikenessSubjectDto> {
    return this.registry.mine(p);
  }

  @Get('me/appearances')
  @ApiContract({ summary: 'Every clip your enrolled likeness was found in (newest 500)', answer: { status: 200, type: 'LikenessAppearanceDto', array: true }, errors: [404] })
  @Authenticated()
  appearances(@CurrentPrincipal() p: Principal): Promise<LikenessAppearanceDto[]> {
    return this.registry.myAppearances(p);
  }
}
