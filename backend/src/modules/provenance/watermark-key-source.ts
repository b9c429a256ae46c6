import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { WATERMARK_KEY_BYTES, WatermarkKey } from '../../engines/watermark';
import { readOrCreateOnce } from '../core/write-once';
import { logger } from '../core/logger';

/** Where the development watermark key lives when no key is configured. */
export function developmentWatermarkKeyPath(cfg: Pick<AppConfig, 'dataDir'>): string {
  return join(cfg.dataDir, 'keys', 'watermark-key.dev.hex');
}

/**
 * The secret of the invisible watermark: PROVENANT_WATERMARK_KEY when set,
 * else WATERMARK_KEY_FILE, else a development key generated once into
 * DATA_DIR/keys (every process of one deployment must use the same key, or
 * none of them can read the others' marks).
 */
export function loadWatermarkKey(cfg: AppConfig): WatermarkKey {
  if (cfg.PROVENANT_WATERMARK_KEY) return WatermarkKey.fromHex(cfg.PROVENANT_WATERMARK_KEY, 'PROVENANT_WATERMARK_KEY');
  if (cfg.WATERMARK_KEY_FILE) {
    let text: string;
    try {
      text = readFileSync(cfg.WATERMARK_KEY_FILE, 'utf8');
    } catch (err) {
      throw new Error(`WATERMARK_KEY_FILE ${cfg.WATERMARK_KEY_FILE} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return WatermarkKey.fromHex(text, `WATERMARK_KEY_FILE ${cfg.WATERMARK_KEY_FILE}`);
  }
  const file = developmentWatermarkKeyPath(cfg);
  const { content, created } = readOrCreateOnce(file, () => `${randomBytes(WATERMARK_KEY_BYTES).toString('hex')}\n`);
  if (created) logger.warn({ file }, 'generated a development watermark key; set PROVENANT_WATERMARK_KEY or WATERMARK_KEY_FILE in production');
  return WatermarkKey.fromHex(content, file);
}
