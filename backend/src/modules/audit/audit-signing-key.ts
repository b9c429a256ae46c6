import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { CheckpointSigner, generateDevelopmentKey } from '../../engines/merkle-log';
import { readOrCreateOnce } from '../core/write-once';
import { logger } from '../core/logger';

/**
 * The Ed25519 key that signs audit checkpoints: AUDIT_SIGNING_KEY_FILE when
 * set, otherwise a development key generated once into DATA_DIR/keys (its
 * public half is written next to it for offline verification).
 */
export function loadCheckpointSigner(cfg: AppConfig): CheckpointSigner {
  if (cfg.AUDIT_SIGNING_KEY_FILE) return CheckpointSigner.fromPrivateKeyPem(readFileSync(cfg.AUDIT_SIGNING_KEY_FILE, 'utf8'));
  const file = join(cfg.dataDir, 'keys', 'audit-log-ed25519.dev.pem');
  const { content, created } = readOrCreateOnce(file, () => generateDevelopmentKey().privateKeyPem);
  const signer = CheckpointSigner.fromPrivateKeyPem(content);
  if (created) {
    writeFileSync(join(cfg.dataDir, 'keys', 'audit-log-ed25519.dev.pub.pem'), signer.publicKeyPem, { mode: 0o644 });
    logger.warn({ file }, 'generated a development audit-log signing key; set AUDIT_SIGNING_KEY_FILE in production');
  }
  return signer;
}
