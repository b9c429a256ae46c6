import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AllowedNetwork } from './allowed-networks';
import { classifyAddress, describeNonPublic } from './special-addresses';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to; the default asks the system resolver (getaddrinfo, /etc/hosts included). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type RefusalKind = 'invalid_url' | 'scheme' | 'credentials' | 'unresolvable' | 'not_public';

/** A URL outgoing requests must not go to; `reason` completes "url: …" (e.g. "resolves to 127.0.0.1, a loopback address"). */
export class EgressRefused extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'EgressRefused';
  }
}

/** Where a checked URL may be connected to: `address` is the one that was checked, to connect to it and nothing else. */
export interface EgressDestination {
  url: URL;
  hostname: string;
  port: number;
  address: string;
  family: 4 | 6;
}

/**
 * Decides whether an outgoing request may go to a URL: http(s) only, no
 * credentials in it, and every address its host resolves to public (or in
 * the operator's allow-list). WHATWG URL parsing first turns the spellings
 * of an address (0x7f000001, 2130706433, 0177.0.0.1, 127.1) into one form.
 * Callers connect to the returned address, so a second DNS answer (DNS
 * rebinding) never decides where the request goes.
 */
export class EgressPolicy {
  constructor(
    /** `resolveTimeoutMs`: how long a DNS answer may take before the host counts as unresolvable (a hung resolver must not hold a delivery). */
    private readonly options: { allowed?: readonly AllowedNetwork[]; resolve?: Resolver; resolveTimeoutMs?: number } = {},
  ) {}

  /** Throws EgressRefused when the URL may not be reached. */
  async check(raw: string): Promise<EgressDestination> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new EgressRefused('invalid_url', 'must be an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EgressRefused('scheme', 'must be an http:// or https:// URL');
    if (url.username || url.password) throw new EgressRefused('credentials', 'must not contain a user name or password');
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const literal = isIP(hostname);
    const addresses = literal ? [{ address: hostname, family: literal as 4 | 6 }] : await this.resolve(hostname);
    for (const { address } of addresses) {
      if (this.options.allowed?.some((n) => n.matches(address, port))) continue;
      const found = classifyAddress(address);
      if (found) throw new EgressRefused('not_public', `resolves to ${address}, ${describeNonPublic(found)}`);
    }
    return { url, hostname, port, ...addresses[0] };
  }

  private async resolve(hostname: string): Promise<ResolvedAddress[]> {
    let addresses: ResolvedAddress[];
    try {
      addresses = await withTimeout((this.options.resolve ?? systemResolver)(hostname), this.options.resolveTimeoutMs);
    } catch (err) {
      if (err instanceof ResolveTimeout) throw new EgressRefused('unresolvable', `host ${hostname} did not resolve within ${err.ms} ms`);
      const code = (err as NodeJS.ErrnoException).code;
      throw new EgressRefused('unresolvable', `host ${hostname} does not resolve${code ? ` (${code})` : ''}`);
    }
    if (addresses.length === 0) throw new EgressRefused('unresolvable', `host ${hostname} does not resolve`);
    return addresses;
  }
}

class ResolveTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no DNS answer within ${ms} ms`);
  }
}

/** getaddrinfo cannot be cancelled; this stops waiting for it. */
function withTimeout<T>(work: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new ResolveTimeout(ms)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
