import { createHmac } from 'node:crypto';

/**
 * Keyed pseudonyms (HMAC-SHA256) of personal identifiers: the same input
 * always gives the same pseudonym, but without the server's key nobody can
 * test a guessed e-mail or address against one, as they could an unsalted hash.
 */
export class Pseudonyms {
  constructor(private readonly key: Buffer) {}

  /** E-mails are compared case-insensitively (users.lower(email)), so their pseudonyms are too. */
  ofEmail(email: string): string {
    return this.of('email', email.trim().toLowerCase());
  }

  ofClientNetwork(network: string): string {
    return this.of('client_network', network);
  }

  private of(kind: string, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\0${value}`).digest('hex');
  }
}
