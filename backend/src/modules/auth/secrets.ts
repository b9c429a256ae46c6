import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { logger } from '../core/logger';
import { readOrCreateOnce } from '../core/write-once';

/**
 * The JWT signing secret: JWT_SECRET when set (required in production, and
 * shared by every api copy); otherwise a development secret generated once
 * into DATA_DIR/keys so local api processes agree on it.
 */
export function jwtSecret(cfg: AppConfig): string {
  if (cfg.JWT_SECRET) return cfg.JWT_SECRET;
  return readOrCreateOnce(join(cfg.dataDir, 'keys', 'jwt-secret.dev'), () => randomBytes(48).toString('base64url')).content.trim();
}

/**
 * The HMAC key of pseudonyms (login throttle counters, audit subjects):
 * PSEUDONYM_KEY when set, else a development key generated once into
 * DATA_DIR/keys. Every api copy must use the same key, or each counts apart.
 */
export function pseudonymKey(cfg: AppConfig): Buffer {
  if (cfg.PSEUDONYM_KEY) return Buffer.from(cfg.PSEUDONYM_KEY.trim(), 'hex');
  const file = join(cfg.dataDir, 'keys', 'pseudonym-key.dev.hex');
  const { content, created } = readOrCreateOnce(file, () => `${randomBytes(32).toString('hex')}\n`);
  if (created) logger.warn({ file }, 'generated a development pseudonym key; set PSEUDONYM_KEY in production');
  const hex = content.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 64 hex digits (the pseudonym key)`);
  return Buffer.from(hex, 'hex');
}
