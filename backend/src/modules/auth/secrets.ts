import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';

/**
 * The JWT signing secret: JWT_SECRET when set (required in production, and
 * shared by every api copy); otherwise a development secret generated once
 * into DATA_DIR/keys so local api processes agree on it.
 */
export function jwtSecret(cfg: AppConfig): string {
  if (cfg.JWT_SECRET) return cfg.JWT_SECRET;
  const dir = join(cfg.dataDir, 'keys');
  const file = join(dir, 'jwt-secret.dev');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
export const randomToken = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
