import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
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
