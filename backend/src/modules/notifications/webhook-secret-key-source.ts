import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { logger } from '../core/logger';
import { readOrCreateOnce } from '../core/write-once';
import { WEBHOOK_SECRET_KEY_BYTES, WebhookSecretBox } from './webhook-secret-box';

/**
 * The key that seals webhook secrets at rest: WEBHOOK_SECRET_KEY when set,
 * else a development key generated once into DATA_DIR/keys (the api, which
 * seals, and the worker, which opens to sign, must use the same key).
 */
export function loadWebhookSecretBox(cfg: AppConfig): WebhookSecretBox {
  if (cfg.WEBHOOK_SECRET_KEY) return new WebhookSecretBox(Buffer.from(cfg.WEBHOOK_SECRET_KEY.trim(), 'hex'));
  const file = join(cfg.dataDir, 'keys', 'webhook-secret-key.dev.hex');
  const { content, created } = readOrCreateOnce(file, () => `${randomBytes(WEBHOOK_SECRET_KEY_BYTES).toString('hex')}\n`);
  if (created) logger.warn({ file }, 'generated a development webhook secret key; set WEBHOOK_SECRET_KEY in production');
  const hex = content.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 64 hex digits (the webhook secret key)`);
  return new WebhookSecretBox(Buffer.from(hex, 'hex'));
}
