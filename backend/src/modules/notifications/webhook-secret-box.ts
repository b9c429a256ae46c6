import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const WEBHOOK_SECRET_KEY_BYTES = 32;

/**
 * Seals webhook signing secrets for storage with AES-256-GCM: nonce ‖
 * ciphertext ‖ tag. The webhook's id is the associated data, so a sealed
 * secret copied onto another webhook's row does not open.
 */
export class WebhookSecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== WEBHOOK_SECRET_KEY_BYTES) throw new Error(`a webhook secret key is ${WEBHOOK_SECRET_KEY_BYTES} bytes, got ${key.length}`);
  }

  seal(secret: string, webhookId: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce).setAAD(Buffer.from(webhookId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
  }

  /** Throws when the sealed bytes were altered, belong to another webhook, or were sealed under another key. */
  open(sealed: Buffer, webhookId: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, NONCE_BYTES)).setAAD(Buffer.from(webhookId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
