import { createHmac } from 'node:crypto';
import { newWebhookSecret, signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'd1', event: 'clip.released', clipId: 'c1' });

  it('is sha256= and the hex HMAC-SHA256 of the exact body under the secret', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(signWebhookBody(secret, body)).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('verifies only the right body under the right secret', () => {
    const secret = newWebhookSecret();
    const header = signWebhookBody(secret, body);
    expect(verifyWebhookSignature(secret, body, header)).toBe(true);
    expect(verifyWebhookSignature(secret, body.replace('c1', 'c2'), header)).toBe(false);
    expect(verifyWebhookSignature(newWebhookSecret(), body, header)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.slice(0, -1))).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined)).toBe(false);
  });
});
