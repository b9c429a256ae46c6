import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { WEBHOOK_EVENTS, type CreatedWebhookDto, type WebhookDeliveryDto, type WebhookDto } from '@provenant/shared';
import { Roles } from '../auth/access-policy';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { ZodBody } from '../http/zod-body.pipe';
import { Webhooks } from './webhooks';
import { ApiContract } from '../http/api-contract';

/** Whoever submits clips can be told their outcomes. */
const OWNERS = ['creator', 'admin'] as const;
const idPipe = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('id: must be a webhook id (UUID)') });

const CreateWebhookBody = z
  .object({
    url: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required: the URL to POST outcomes to' : undefined) })
      .max(2000, 'must be at most 2000 characters')
      .refine((v) => {
        try {
          return ['http:', 'https:'].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, 'must be an http:// or https:// URL'),
    events: z.array(z.enum(WEBHOOK_EVENTS, { message: `must be among ${WEBHOOK_EVENTS.join(', ')}` })).optional(),
  })
  .strict()
  .meta({ examples: [{ url: 'https://studio.example.com/provenant-hooks', events: ['clip.released', 'clip.rejected'] }] });

@ApiTags('notifications')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: Webhooks) {}

  /** Register a URL for clip outcomes; the answer holds the signing secret, shown this once. */
  @Post()
  @ApiContract({ summary: 'Register a webhook (the signing secret is shown once)', body: CreateWebhookBody, answer: { status: 201, type: 'CreatedWebhookDto' }, errors: [400] })
  @Roles(...OWNERS)
  create(@Body(new ZodBody(CreateWebhookBody)) body: z.infer<typeof CreateWebhookBody>, @CurrentPrincipal() p: Principal): Promise<CreatedWebhookDto> {
    return this.webhooks.create(p, body.url, body.events);
  }

  @Get()
  @ApiContract({ summary: 'Your webhooks', answer: { status: 200, type: 'WebhookDto', array: true } })
  @Roles(...OWNERS)
  list(@CurrentPrincipal() p: Principal): Promise<WebhookDto[]> {
    return this.webhooks.list(p);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiContract({ summary: 'Remove a webhook', answer: { status: 204 }, errors: [400, 404] })
  @Roles(...OWNERS)
  remove(@Param('id', idPipe) id: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.webhooks.remove(p, id);
  }

  /** Recent deliveries of one webhook and every attempt made (status code or error, duration). */
  @Get(':id/deliveries')
  @ApiContract({ summary: 'Recent deliveries of a webhook and their attempts', answer: { status: 200, type: 'WebhookDeliveryDto', array: true }, errors: [400, 404] })
  @Roles(...OWNERS)
  deliveries(@Param('id', idPipe) id: string, @CurrentPrincipal() p: Principal): Promise<WebhookDeliveryDto[]> {
    return this.webhooks.deliveries(p, id);
  }
}
