import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WEBHOOK_EVENTS, type CreatedWebhookDto, type WebhookDeliveryDto, type WebhookDto, type WebhookEvent } from '@provenant/shared';
import { updatedRows } from '../../database/updated-rows';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../auth/secrets';
import { newWebhookSecret } from './webhook-signature';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEvent[];
  api_key_id: string | null;
  created_at: Date;
}

const toDto = (w: WebhookRow): WebhookDto => ({
  id: w.id,
  url: w.url,
  events: w.events,
  scope: w.api_key_id ? 'api_key' : 'user',
  createdAt: new Date(w.created_at).toISOString(),
});

/** SQL condition: the live webhook `w` belongs to the caller (parameters: user id, API key id or null). */
const owned = (user: number, key: number): string => `w.user_id = $${user} AND ($${key}::uuid IS NULL OR w.api_key_id = $${key}::uuid) AND w.disabled_at IS NULL`;

/**
 * Webhook registrations. Registered with a user token, a webhook covers all
 * the user's clips; with an API key, the clips submitted with that key, and
 * only that key can see or delete it. The URL can carry credentials, so the
 * audit log records its hash.
 */
@Injectable()
export class Webhooks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(p: Principal, url: string, events: WebhookEvent[] | undefined): Promise<CreatedWebhookDto> {
    const secret = newWebhookSecret();
    const chosen = events?.length ? [...new Set(events)] : [...WEBHOOK_EVENTS];
    return this.dataSource.transaction(async (m) => {
      const [row]: WebhookRow[] = await m.query(
        `INSERT INTO webhooks (user_id, api_key_id, url, secret, events) VALUES ($1, $2, $3, $4, $5) RETURNING id, url, events, api_key_id, created_at`,
        [p.userId, p.apiKeyId, url, secret, chosen],
      );
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

  async list(p: Principal): Promise<WebhookDto[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT w.id, w.url, w.events, w.api_key_id, w.created_at FROM webhooks w WHERE ${owned(1, 2)} ORDER BY w.created_at`,
      [p.userId, p.apiKeyId],
    );
    return rows.map(toDto);
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const rows = await updatedRows(m, `UPDATE webhooks w SET disabled_at = now() WHERE w.id = $1 AND ${owned(2, 3)} RETURNING w.id`, [id, p.userId, p.apiKeyId]);
      if (rows.length === 0) throw new NotFoundException(`webhook ${id} not found`);
      await this.audit.append(m, { actor: actorOf(p), action: 'webhook.deleted', subjectType: 'webhook', subjectId: id, body: {} });
    });
  }

  /** The latest deliveries of one of the caller's webhooks, with every attempt. */
  async deliveries(p: Principal, id: string): Promise<WebhookDeliveryDto[]> {
    const [mine] = await this.dataSource.query(`SELECT 1 FROM webhooks w WHERE w.id = $1 AND ${owned(2, 3)}`, [id, p.userId, p.apiKeyId]);
    if (!mine) throw new NotFoundException(`webhook ${id} not found`);
    const rows: (Omit<WebhookDeliveryDto, 'createdAt' | 'deliveredAt' | 'clipId' | 'attempts'> & { clip_id: string; created_at: Date; delivered_at: Date | null; tries: WebhookDeliveryDto['attempts'] })[] =
      await this.dataSource.query(
        `SELECT d.id, d.event, d.clip_id, d.status, d.created_at, d.delivered_at,
                coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
                            FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS tries
           FROM webhook_deliveries d WHERE d.webhook_id = $1 ORDER BY d.created_at DESC LIMIT 100`,
        [id],
      );
    return rows.map((r) => ({
      id: r.id,
      event: r.event,
      clipId: r.clip_id,
      status: r.status,
      createdAt: new Date(r.created_at).toISOString(),
      deliveredAt: r.delivered_at ? new Date(r.delivered_at).toISOString() : null,
      attempts: r.tries.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
    }));
  }
}
