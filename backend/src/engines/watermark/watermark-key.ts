import { createCipheriv, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { WatermarkInputError } from './watermark-errors';

export const WATERMARK_KEY_BYTES = 32;
export const WATERMARK_KEY_ENV = 'PROVENANT_WATERMARK_KEY';

/**
 * The secret that decides every pseudo-random choice of the mark (chip signs,
 * pilot cells, bit placement, check tag). Without it the pattern cannot be
 * found, forged, or told apart from noise.
 */
export class WatermarkKey {
  private constructor(readonly bytes: Buffer) {}

  static fromBytes(bytes: Buffer): WatermarkKey {
    if (bytes.length !== WATERMARK_KEY_BYTES) {
      throw new WatermarkInputError('BAD_KEY', `the watermark key must be ${WATERMARK_KEY_BYTES} bytes, got ${bytes.length}`);
    }
    return new WatermarkKey(Buffer.from(bytes));
  }

  /** `source` names where the text came from, for the error message. */
  static fromHex(text: string, source = 'the watermark key'): WatermarkKey {
    const hex = text.trim();
    if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length !== WATERMARK_KEY_BYTES * 2) {
      throw new WatermarkInputError('BAD_KEY', `${source} must be ${WATERMARK_KEY_BYTES * 2} hex digits (${WATERMARK_KEY_BYTES} bytes)`);
    }
    return new WatermarkKey(Buffer.from(hex, 'hex'));
  }

  /** From a key file (hex text) when given, else from PROVENANT_WATERMARK_KEY. */
  static async load(options: { keyFile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<WatermarkKey> {
    if (options.keyFile) {
      let text: string;
      try {
        text = await readFile(options.keyFile, 'utf8');
      } catch (err) {
        throw new WatermarkInputError('MISSING_KEY', `cannot read key file ${options.keyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      return WatermarkKey.fromHex(text, `key file ${options.keyFile}`);
    }
    const fromEnv = (options.env ?? process.env)[WATERMARK_KEY_ENV];
    if (!fromEnv) {
      throw new WatermarkInputError('MISSING_KEY', `no watermark key: set ${WATERMARK_KEY_ENV} (64 hex digits) or pass a key file`);
    }
    return WatermarkKey.fromHex(fromEnv, WATERMARK_KEY_ENV);
  }

  /** A keyed 32-byte value for `label` (HMAC-SHA256). */
  derive(label: string, data: Buffer = Buffer.alloc(0)): Buffer {
    return createHmac('sha256', this.bytes).update(label).update('\0').update(data).digest();
  }

  /** `length` pseudo-random bytes for `label`: AES-256-CTR keystream under a derived key. */
  stream(label: string, length: number): Buffer {
    const cipher = createCipheriv('aes-256-ctr', this.derive(`stream:${label}`), Buffer.alloc(16));
    return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
  }
}
