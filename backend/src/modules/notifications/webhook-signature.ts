import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SCHEME = 'sha256=';

/** A new per-webhook signing secret; shown to its owner once. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature header value for a body: `sha256=` and the hex HMAC-SHA256 of the exact bytes sent. */
export function signWebhookBody(secret: string, body: string): string {
  return SCHEME + createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/** For receivers (and tests): constant-time check of a signature header against the raw body. */
export function verifyWebhookSignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header || !header.startsWith(SCHEME)) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
