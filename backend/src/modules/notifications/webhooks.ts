import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { WEBHOOK_EVENTS, type CreatedWebhookDto, type WebhookDeliveryDto, type WebhookDto, type WebhookEvent } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { EgressRefused, type EgressPolicy } from '../../engines/egress';
import { sha256Hex } from '../core/hashing';
import { WEBHOOK_EGRESS, WEBHOOK_SECRET_BOX } from './notifications-tokens';
import type { SecretBox } from '../core/secret-box';
import { newWebhookSecret } from './webhook-signature';
import { WebhookRepository, type WebhookRecord } from './webhook.repository';

const toDto = (w: WebhookRecord): WebhookDto => ({
  id: w.id,
  url: w.url,
  events: w.events,
  scope: w.apiKeyId ? 'api_key' : 'user',
  createdAt: new Date(w.createdAt).toISOString(),
});

/**
 * Webhook registrations. Registered with a user token, a webhook covers all
 * the user's clips; with an API key, the clips submitted with that key, and
 * only that key can see or delete it. The URL must reach only public
 * addresses (or the operator's allow-list), checked here and again at every
 * delivery. The audit log records the URL's hash; the secret is stored
 * sealed and shown once, in the answer to the registration.
 */
@Injectable()
export class Webhooks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly webhooks: WebhookRepository,
    @Inject(WEBHOOK_EGRESS) private readonly egress: EgressPolicy,
    @Inject(WEBHOOK_SECRET_BOX) private readonly box: SecretBox,
  ) {}

  async create(p: Principal, url: string, events: WebhookEvent[] | undefined): Promise<CreatedWebhookDto> {
    await this.checkDestination(url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const chosen = events?.length ? [...new Set(events)] : [...WEBHOOK_EVENTS];
    return this.dataSource.transaction(async (m) => {
      const row = await this.webhooks.insert(m, { id, userId: p.userId, apiKeyId: p.apiKeyId, url, sealedSecret: this.box.seal(secret, id), events: chosen });
      const dto = toDto(row);
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'webhook.created',
        subjectType: 'webhook',
        subjectId: row.id,
        body: { scope: dto.scope, events: chosen, urlSha256: sha256Hex(url) },
      });
      return { ...dto, secret };
    });
  }

  /** A 400 naming the field and why, e.g. "url: resolves to 127.0.0.1, a loopback address; webhooks may only reach public addresses". */
  private async checkDestination(url: string): Promise<void> {
    try {
      await this.egress.check(url);
    } catch (err) {
      if (!(err instanceof EgressRefused)) throw err;
      throw new BadRequestException(`url: ${err.reason}${err.kind === 'not_public' ? '; webhooks may only reach public addresses' : ''}`);
    }
  }

  async list(p: Principal): Promise<WebhookDto[]> {
    return (await this.webhooks.listOwned(this.dataSource, p)).map(toDto);
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await this.webhooks.disableOwned(m, id, p))) throw new NotFoundException(`webhook ${id} not found`);
      await this.audit.append(m, { actor: actorOf(p), action: 'webhook.deleted', subjectType: 'webhook', subjectId: id, body: {} });
    });
  }

  /** The latest deliveries of one of the caller's webhooks, with every attempt. */
  async deliveries(p: Principal, id: string): Promise<WebhookDeliveryDto[]> {
    if (!(await this.webhooks.isOwned(this.dataSource, id, p))) throw new NotFoundException(`webhook ${id} not found`);
    const rows = await this.webhooks.deliveriesOf(this.dataSource, id);
    return rows.map((r) => ({
      id: r.id,
      event: r.event,
      clipId: r.clipId,
      status: r.status,
      createdAt: new Date(r.createdAt).toISOString(),
      deliveredAt: r.deliveredAt ? new Date(r.deliveredAt).toISOString() : null,
      attempts: r.attempts.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    }));
  }
}
