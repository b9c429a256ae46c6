import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@provenant/shared';
import { EgressRefused, pinnedLookup, type EgressDestination, type EgressPolicy, type RefusalKind } from '../../engines/egress';
import { socketErrorReason } from '../core/database-errors';
import { signWebhookBody } from './webhook-signature';

/** What one attempt records: the status code, the time it took and a short fixed error kind, never what the receiver said. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface OutgoingDelivery {
  id: string;
  event: string;
  body: string;
  url: string;
  secret: string;
}

const REFUSED: Record<RefusalKind, string> = {
  invalid_url: 'destination refused: invalid URL',
  scheme: 'destination refused: not http(s)',
  credentials: 'destination refused: credentials in the URL',
  unresolvable: 'host not found',
  not_public: 'destination refused: not a public address',
};

/**
 * POSTs one signed delivery. The URL is checked against the egress policy on
 * every attempt, and the connection goes to the address that check approved
 * (pinned lookup), so a host that re-resolves to a private address after
 * registration (DNS rebinding) is refused, not reached. A redirect is not
 * followed: the signed body must reach the registered URL.
 */
export class WebhookSender {
  constructor(
    private readonly egress: EgressPolicy,
    private readonly timeoutMs: number,
  ) {}

  async send(delivery: OutgoingDelivery): Promise<AttemptResult> {
    const started = Date.now();
    const outcome = (statusCode: number | null, error: string | null): AttemptResult => ({ ok: error === null, statusCode, error, durationMs: Date.now() - started });
    let destination: EgressDestination;
    try {
      destination = await this.egress.check(delivery.url);
    } catch (err) {
      if (err instanceof EgressRefused) return outcome(null, REFUSED[err.kind]);
      throw err;
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const status = await this.post(destination, delivery, signal);
      if (status >= 200 && status < 300) return outcome(status, null);
      return outcome(status, status >= 300 && status < 400 ? 'redirect not followed' : `receiver answered ${status}`);
    } catch (err) {
      return outcome(null, signal.aborted ? `no answer within ${this.timeoutMs} ms` : transportError(err));
    }
  }

  /** Resolves with the status code as soon as it arrives; the response body is never read. */
  private post(destination: EgressDestination, delivery: OutgoingDelivery, signal: AbortSignal): Promise<number> {
    const send = destination.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        destination.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(delivery.body, 'utf8'),
            'user-agent': 'provenant-webhooks/1',
            [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(delivery.secret, delivery.body),
            [WEBHOOK_DELIVERY_HEADER]: delivery.id,
            [WEBHOOK_EVENT_HEADER]: delivery.event,
          },
          lookup: pinnedLookup(destination),
          agent: false,
          signal,
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', reject);
      req.end(delivery.body);
    });
  }
}

function transportError(err: unknown): string {
  const code = String((err as NodeJS.ErrnoException).code ?? '');
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return 'TLS handshake failed';
  return socketErrorReason(err) ?? 'request failed';
}
