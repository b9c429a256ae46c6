import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, Sse, StreamableFile, type MessageEvent } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { filter, map, merge, share, takeUntil, type Observable } from 'rxjs';
import { z } from 'zod';
import { CLIP_STATES, PAGE_LIMITS, SESSION_ENDED_EVENT, type ClipDto, type ClipSummaryDto, type Page, type SubmitClipRequest, type SubmitClipResponse } from '@provenant/shared';
import { Roles } from '../auth/access-policy';
import { AccountStatus } from '../auth/account-status';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ClipDownloads } from './clip-downloads';
import { ClipMedia, RangeNotSatisfiable } from './clip-media';
import { ClipEvents } from './clip-events';
import { ClipIntake } from './clip-intake';
import { canSeeAllClips } from '../core/visibility';
import { cursorParam, limitParam, queryLimit, queryText } from '../http/query-params';
import { ClipQuery } from './clip-query';
import { ApiContract } from '../http/api-contract';

const READERS = ['admin', 'reviewer', 'senior_reviewer', 'compliance', 'creator'] as const;
// Before release the render is unapproved content, possibly rejected: only those who review or audit it watch it; a creator gets the released download.
const MEDIA_VIEWERS = ['admin', 'reviewer', 'senior_reviewer', 'compliance'] as const;
const SUBMITTERS = ['creator', 'admin'] as const;
const ClipListQuery = z.object({ state: z.enum(CLIP_STATES).optional().describe('only clips in this state'), limit: limitParam(PAGE_LIMITS.clips), cursor: cursorParam() });
const UPLOAD_FIELDS = {
  file: { description: 'the video file', required: true, binary: true },
  prompt: { description: 'the prompt it was made from, if known' },
  generator: { description: 'the tool that made it, if known' },
};
const clipIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a clip id (UUID)') });

@ApiTags('clips')
@Controller('api/v1/clips')
export class ClipsController {
  constructor(
    private readonly intake: ClipIntake,
    private readonly query: ClipQuery,
    private readonly clipEvents: ClipEvents,
    private readonly downloads: ClipDownloads,
    private readonly media: ClipMedia,
    private readonly accounts: AccountStatus,
  ) {}

  /** Submit a prompt (and optional reference image) for generation. */
  @Post()
  @HttpCode(202)
  @ApiContract({ summary: 'Submit a prompt for generation', body: { type: 'SubmitClipRequest' }, answer: { status: 202, type: 'SubmitClipResponse' }, errors: [400, 413] })
  @Roles(...SUBMITTERS)
  submit(@Body() body: SubmitClipRequest, @CurrentPrincipal() p: Principal): Promise<SubmitClipResponse> {
    return this.intake.submitPrompt(p, body ?? {});
  }

  /** Upload a clip made elsewhere: multipart with `file`, optional `prompt` and `generator`. */
  @Post('upload')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiContract({ summary: 'Upload a clip made elsewhere', body: { multipart: UPLOAD_FIELDS }, answer: { status: 202, type: 'SubmitClipResponse' }, errors: [400, 413] })
  @Roles(...SUBMITTERS)
  upload(@Req() req: Request, @CurrentPrincipal() p: Principal): Promise<SubmitClipResponse> {
    return this.intake.submitUpload(p, req);
  }

  /** Live clip changes and review decisions as server-sent events (`data: ClipEventDto`). */
  @Sse('events')
  @ApiContract({ summary: 'Clip changes as server-sent events', answer: { status: 200, contentType: 'text/event-stream', description: '`data:` ClipEventDto per change; a last `event: session_ended` with SessionEndedDto' } })
  @Roles(...READERS)
  events(@CurrentPrincipal() p: Principal): Observable<MessageEvent> {
    const all = canSeeAllClips(p);
    // The stream was authorised once, at connect: it ends, with a last event saying why, when that authorisation would no longer hold.
    const end = this.accounts.sessionEnd(p).pipe(share());
    const clipEvents = this.clipEvents.events.pipe(
      filter((e) => all || e.createdBy === p.userId),
      map(({ createdBy: _owner, ...event }): MessageEvent => ({ data: event })),
      takeUntil(end),
    );
    return merge(clipEvents, end.pipe(map((data): MessageEvent => ({ type: SESSION_ENDED_EVENT, data }))));
  }

  @Get()
  @ApiContract({ summary: 'Clips, newest first, a page at a time', query: ClipListQuery, answer: { status: 200, type: 'ClipSummaryPageDto' }, errors: [400] })
  @Roles(...READERS)
  list(@Query() q: Record<string, unknown>, @CurrentPrincipal() p: Principal): Promise<Page<ClipSummaryDto>> {
    return this.query.list(p, { state: queryText(q, 'state'), limit: queryLimit(q, PAGE_LIMITS.clips), cursor: queryText(q, 'cursor') });
  }

  @Get(':id')
  @ApiContract({ summary: 'One clip with its checks, stages, review and release', answer: { status: 200, type: 'ClipDto' }, errors: [400, 404] })
  @Roles(...READERS)
  get(@Param('id', clipIdPipe) id: string, @CurrentPrincipal() p: Principal): Promise<ClipDto> {
    return this.query.get(id, p);
  }

  /** The released file (RELEASED clips only). `X-Provenant-Signed` says whether it carries a C2PA manifest. */
  @Get(':id/download')
  @ApiContract({ summary: 'The released file', answer: { status: 200, contentType: 'video/mp4', description: 'the released MP4' }, errors: [400, 404, 409] })
  @Roles(...READERS)
  async download(@Param('id', clipIdPipe) id: string, @CurrentPrincipal() p: Principal, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const file = await this.downloads.open(id, p);
    res.setHeader('x-content-sha256', file.sha256);
    res.setHeader('x-provenant-signed', String(file.signed));
    return new StreamableFile(file.stream, { type: file.contentType, length: file.bytes, disposition: `attachment; filename="${file.filename}"` });
  }

  /**
   * The watermarked render to watch before release (the signed copy once released), with `Range` requests
   * (206) so a player can seek. Never cached. The start of a viewing (no `Range`, or one from byte 0) is audited.
   */
  @Get(':id/media')
  @ApiContract({
    summary: 'The watermarked render, for watching before release (byte ranges)',
    answer: { status: 200, contentType: 'video/mp4', description: 'the whole render' },
    more: [{ status: 206, contentType: 'video/mp4', description: 'the range asked for (Range: bytes=…)' }],
    errors: [400, 404, 409, 416],
  })
  @Roles(...MEDIA_VIEWERS)
  async watch(
    @Param('id', clipIdPipe) id: string,
    @Headers('range') range: string | undefined,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('accept-ranges', 'bytes');
    const slice = await this.media.open(id, p, range).catch((err: unknown) => {
      if (err instanceof RangeNotSatisfiable) res.setHeader('content-range', `bytes */${err.bytes}`);
      throw err;
    });
    if (!slice.range) return new StreamableFile(slice.stream, { type: slice.contentType, length: slice.bytes });
    const { start, end } = slice.range;
    res.status(206).setHeader('content-range', `bytes ${start}-${end}/${slice.bytes}`);
    return new StreamableFile(slice.stream, { type: slice.contentType, length: end - start + 1 });
  }
}
