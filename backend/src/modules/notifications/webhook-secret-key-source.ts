import type { AppConfig } from '../../config/app-config';
import { loadSecretBox, type SecretBox } from '../core/secret-box';

/**
 * The key that seals webhook secrets at rest: WEBHOOK_SECRET_KEY when set,
 * else a development key generated once into DATA_DIR/keys (the api, which
 * seals, and the worker, which opens to sign, must use the same key).
 */
export function loadWebhookSecretBox(cfg: AppConfig): SecretBox {
  return loadSecretBox(cfg, { setting: 'WEBHOOK_SECRET_KEY', value: cfg.WEBHOOK_SECRET_KEY, devFile: 'webhook-secret-key.dev.hex', what: 'webhook secret key' });
}
