import { createHash, randomBytes } from 'node:crypto';

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

/** 256 random bits, URL-safe, behind a prefix that says what the token is (`pvk_`, `pvr_`). */
export const randomToken = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;
