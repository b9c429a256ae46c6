import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { logger } from './logger';
import { readOrCreateOnce } from './write-once';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_BOX_KEY_BYTES = 32;

/**
 * Seals secrets for storage with AES-256-GCM: nonce ‖ ciphertext ‖ tag. The
 * row's id is the associated data, so sealed bytes copied onto another row
 * do not open. Used for webhook signing secrets and face templates.
 */
export class SecretBox {
  constructor(
    private readonly key: Buffer,
    what = 'a secret box key',
  ) {
    if (key.length !== SECRET_BOX_KEY_BYTES) throw new Error(`${what} is ${SECRET_BOX_KEY_BYTES} bytes, got ${key.length}`);
  }

  seal(plaintext: Buffer | string, rowId: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(rowId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
  }

  /** Throws when the sealed bytes were altered, belong to another row, or were sealed under another key. */
  open(sealed: Buffer, rowId: string): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, NONCE_BYTES)).setAAD(Buffer.from(rowId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  }
}

/**
 * A box under the configured key (64 hex digits) when set, else under a
 * development key generated once into DATA_DIR/keys: every process of one
 * deployment must open what the others sealed.
 */
export function loadSecretBox(cfg: AppConfig, key: { setting: string; value: string | undefined; devFile: string; what: string }): SecretBox {
  if (key.value) return new SecretBox(Buffer.from(key.value.trim(), 'hex'), `${key.setting} (${key.what})`);
  const file = join(cfg.dataDir, 'keys', key.devFile);
  const { content, created } = readOrCreateOnce(file, () => `${randomBytes(SECRET_BOX_KEY_BYTES).toString('hex')}\n`);
  if (created) logger.warn({ file }, `generated a development ${key.what}; set ${key.setting} in production`);
  const hex = content.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} must hold 64 hex digits (the ${key.what})`);
  return new SecretBox(Buffer.from(hex, 'hex'), key.what);
}
