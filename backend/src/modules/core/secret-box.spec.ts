import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('secrets at rest', () => {
  const box = new SecretBox(randomBytes(32));
  const secret = 'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

  it('are nonce, ciphertext and tag (AES-256-GCM), fresh each time, and open again', () => {
    const sealed = box.seal(secret, 'webhook-1');
    expect(sealed.length).toBe(12 + Buffer.byteLength(secret) + 16);
    expect(sealed.toString('latin1')).not.toContain('whsec_');
    expect(box.seal(secret, 'webhook-1').equals(sealed)).toBe(false);
    expect(box.open(sealed, 'webhook-1').toString('utf8')).toBe(secret);
    const bytes = randomBytes(4096);
    expect(box.open(box.seal(bytes, 'template-1'), 'template-1').equals(bytes)).toBe(true);
  });

  it('do not open for another row, under another key, or once altered', () => {
    const sealed = box.seal(secret, 'webhook-1');
    expect(() => box.open(sealed, 'webhook-2')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'webhook-1')).toThrow();
    const altered = Buffer.from(sealed);
    altered[14] ^= 1;
    expect(() => box.open(altered, 'webhook-1')).toThrow();
  });

  it('need a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16), 'a webhook secret key')).toThrow('a webhook secret key is 32 bytes, got 16');
  });
});
