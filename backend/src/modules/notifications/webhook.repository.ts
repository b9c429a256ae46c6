import type { WebhookDeliveryDto, WebhookEvent } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export interface WebhookRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  apiKeyId: string | null;
  createdAt: Date;
}

/** A delivery with what sending it needs. */
export interface PendingDelivery {
  id: string;
  event: string;
  body: string;
  status: string;
  attempts: number;
  webhookId: string;
  url: string;
  /** nonce ‖ ciphertext ‖ tag (SecretBox, the webhook's id as associated data); null once the owner was erased. */
  sealedSecret: Buffer | null;
  disabledAt: Date | null;
}

export type DeliveryRecord = Omit<WebhookDeliveryDto, 'createdAt' | 'deliveredAt' | 'attempts'> & {
  createdAt: Date;
  deliveredAt: Date | null;
  attempts: (Omit<WebhookDeliveryDto['attempts'][number], 'at'> & { at: string })[];
};

// One webhook delivery sweep at a time across all worker processes; the others skip their turn.
const DELIVERY_SWEEP_LOCK_KEY = 7_305_161_004;

const COLUMNS = `w.id, w.url, w.events, w.api_key_id AS "apiKeyId", w.created_at AS "createdAt"`;
/** The live webhook `w` belongs to the caller: user $2, and API key $3 when the caller is one. */
const OWNED = `w.user_id = $2 AND ($3::uuid IS NULL OR w.api_key_id = $3::uuid) AND w.disabled_at IS NULL`;

const SQL = {
  insert: `INSERT INTO webhooks (id, user_id, api_key_id, url, secret_sealed, events) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, url, events, api_key_id AS "apiKeyId", created_at AS "createdAt"`,
  listOwned: `SELECT ${COLUMNS} FROM webhooks w WHERE w.user_id = $1 AND ($2::uuid IS NULL OR w.api_key_id = $2::uuid) AND w.disabled_at IS NULL ORDER BY w.created_at`,
  isOwned: `SELECT 1 FROM webhooks w WHERE w.id = $1 AND ${OWNED}`,
  disableOwned: `UPDATE webhooks w SET disabled_at = now() WHERE w.id = $1 AND ${OWNED} RETURNING w.id`,
  // A user's webhook hears all their clips; a key's webhook only the clips submitted with that (unrevoked) key.
  listeningTo: `
    SELECT w.id FROM webhooks w JOIN clips c ON c.id = $1
     WHERE w.disabled_at IS NULL AND $2 = ANY (w.events)
       AND ((w.api_key_id IS NULL AND w.user_id = c.created_by)
            OR (w.api_key_id = c.api_key_id AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = w.api_key_id AND k.revoked_at IS NULL)))`,
  insertDelivery: `INSERT INTO webhook_deliveries (id, webhook_id, clip_id, event, body) VALUES ($1, $2, $3, $4, $5)`,
  pendingDelivery: `
    SELECT d.id, d.event, d.body, d.status, d.attempts, w.id AS "webhookId", w.url, w.secret_sealed AS "sealedSecret", w.disabled_at AS "disabledAt"
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
  // Compare-and-set on the attempt count: a job run twice cannot record an attempt twice.
  recordAttemptOutcome: `
    UPDATE webhook_deliveries SET attempts = $2, status = $3, delivered_at = CASE WHEN $3 = 'delivered' THEN now() END
     WHERE id = $1 AND status = 'pending' AND attempts = $2 - 1
    RETURNING id`,
  insertAttempt: `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`,
  deliveriesOf: `
    SELECT d.id, d.event, d.clip_id AS "clipId", d.status, d.created_at AS "createdAt", d.delivered_at AS "deliveredAt",
           coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms)
                                     ORDER BY a.attempt)
                       FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempts
      FROM webhook_deliveries d WHERE d.webhook_id = $1 ORDER BY d.created_at DESC LIMIT 100`,
  takeDeliverySweepTurn: `SELECT pg_try_advisory_xact_lock(${DELIVERY_SWEEP_LOCK_KEY}) AS locked`,
  // Keyset pages in id order: successive sweeps walk every pending delivery, however many wait in a long backoff.
  pendingPage: `
    SELECT id, webhook_id AS "webhookId", clip_id AS "clipId" FROM webhook_deliveries
     WHERE status = 'pending' AND created_at < now() - $1::int * interval '1 millisecond'
       AND ($2::uuid IS NULL OR id > $2::uuid)
     ORDER BY id
     LIMIT $3`,
  eraseOf: `UPDATE webhooks SET url = 'https://erased.invalid/', secret = NULL, secret_sealed = NULL, disabled_at = coalesce(disabled_at, now()) WHERE user_id = $1 RETURNING id`,
  // Secrets stored in the clear before they were sealed at rest; sealing one clears it, once.
  clearSecrets: `SELECT id, secret FROM webhooks WHERE secret IS NOT NULL`,
  sealSecret: `UPDATE webhooks SET secret_sealed = $2, secret = NULL WHERE id = $1 AND secret IS NOT NULL RETURNING id`,
} as const;

/** Webhook registrations (webhooks) and their deliveries and attempts. */
export class WebhookRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, w: { id: string; userId: string; apiKeyId: string | null; url: string; sealedSecret: Buffer; events: WebhookEvent[] }): Promise<WebhookRecord> {
    const [row]: WebhookRecord[] = await db.query(SQL.insert, [w.id, w.userId, w.apiKeyId, w.url, w.sealedSecret, w.events]);
    return row;
  }

  listOwned(db: Queryable, owner: { userId: string; apiKeyId: string | null }): Promise<WebhookRecord[]> {
    return db.query(SQL.listOwned, [owner.userId, owner.apiKeyId]);
  }

  async isOwned(db: Queryable, id: string, owner: { userId: string; apiKeyId: string | null }): Promise<boolean> {
    return (await db.query(SQL.isOwned, [id, owner.userId, owner.apiKeyId])).length > 0;
  }

  /** Returns false when no live webhook of the owner has this id. */
  async disableOwned(db: Queryable, id: string, owner: { userId: string; apiKeyId: string | null }): Promise<boolean> {
    return (await updatedRows(db, SQL.disableOwned, [id, owner.userId, owner.apiKeyId])).length > 0;
  }

  async listeningTo(db: Queryable, clipId: string, event: WebhookEvent): Promise<string[]> {
    const rows: { id: string }[] = await db.query(SQL.listeningTo, [clipId, event]);
    return rows.map((r) => r.id);
  }

  async insertDelivery(db: Queryable, d: { id: string; webhookId: string; clipId: string; event: WebhookEvent; body: string }): Promise<void> {
    await db.query(SQL.insertDelivery, [d.id, d.webhookId, d.clipId, d.event, d.body]);
  }

  async pendingDelivery(db: Queryable, id: string): Promise<PendingDelivery | null> {
    const [row]: PendingDelivery[] = await db.query(SQL.pendingDelivery, [id]);
    return row ?? null;
  }

  /** Records attempt number `attempt` and the delivery's new status; false when another run recorded it first. */
  async recordAttempt(
    db: Queryable,
    deliveryId: string,
    a: { attempt: number; status: 'delivered' | 'failed' | 'pending'; statusCode: number | null; error: string | null; durationMs: number },
  ): Promise<boolean> {
    const updated = await updatedRows(db, SQL.recordAttemptOutcome, [deliveryId, a.attempt, a.status]);
    if (updated.length === 0) return false;
    await db.query(SQL.insertAttempt, [deliveryId, a.attempt, a.statusCode, a.error, a.durationMs]);
    return true;
  }

  deliveriesOf(db: Queryable, webhookId: string): Promise<DeliveryRecord[]> {
    return db.query(SQL.deliveriesOf, [webhookId]);
  }

  /** Elects one process per turn to sweep for deliveries whose job was lost: true if this transaction holds the turn until it ends. */
  async takeDeliverySweepTurn(db: Queryable): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await db.query(SQL.takeDeliverySweepTurn);
    return locked;
  }

  /** Up to `limit` pending deliveries older than `graceMs`, in id order after `afterId` (null: from the start). */
  pendingPage(db: Queryable, graceMs: number, afterId: string | null, limit: number): Promise<{ id: string; webhookId: string; clipId: string }[]> {
    return db.query(SQL.pendingPage, [graceMs, afterId, limit]);
  }

  clearSecrets(db: Queryable): Promise<{ id: string; secret: string }[]> {
    return db.query(SQL.clearSecrets);
  }

  /** Stores a sealed secret in place of the clear one; false when another process sealed it first. */
  async sealSecret(db: Queryable, id: string, sealedSecret: Buffer): Promise<boolean> {
    return (await updatedRows(db, SQL.sealSecret, [id, sealedSecret])).length > 0;
  }

  /** Right to erasure: a person's webhook endpoints and secrets (the log keeps the URL's hash). */
  async eraseOf(db: Queryable, userId: string): Promise<void> {
    await db.query(SQL.eraseOf, [userId]);
  }
}
