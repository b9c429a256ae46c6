import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowedNetworks } from './allowed-networks';
import { EgressPolicy, EgressRefused, type ResolvedAddress } from './egress-policy';
import { pinnedLookup } from './pinned-lookup';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (err: unknown) => (err instanceof EgressRefused ? `${err.kind}: ${err.reason}` : `threw ${String(err)}`),
  );
const resolving = (answers: Record<string, ResolvedAddress[]>) => async (host: string) => {
  if (!answers[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return answers[host];
};

describe('the egress policy', () => {
  const policy = new EgressPolicy({ resolve: resolving({ 'hooks.example.com': [{ address: '93.184.216.34', family: 4 }] }) });

  it.each([
    ['http://127.0.0.1:3200/api/v1/users', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://169.254.169.254/latest/meta-data/', 'not_public: resolves to 169.254.169.254, a link-local address'],
    ['http://127.0.0.1:5432/', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://0x7f000001:3290/', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://2130706433/', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://0177.0.0.1/', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://127.1/', 'not_public: resolves to 127.0.0.1, a loopback address'],
    ['http://[::ffff:127.0.0.1]/', 'not_public: resolves to ::ffff:7f00:1, an IPv4-mapped form of 127.0.0.1, a loopback address'],
    ['http://[::1]:8080/', 'not_public: resolves to ::1, a loopback address'],
    ['http://[fd00::1]/', 'not_public: resolves to fd00::1, a unique-local address'],
    ['http://10.1.2.3/', 'not_public: resolves to 10.1.2.3, a private address'],
    ['http://user:pw@example.com/', 'credentials: must not contain a user name or password'],
    ['http://user@example.com/', 'credentials: must not contain a user name or password'],
    ['ftp://example.com/hook', 'scheme: must be an http:// or https:// URL'],
    ['file:///etc/passwd', 'scheme: must be an http:// or https:// URL'],
    ['not a url', 'invalid_url: must be an absolute URL'],
    ['https://nowhere.example.com/', 'unresolvable: host nowhere.example.com does not resolve (ENOTFOUND)'],
  ])('refuses %s', async (url, expected) => {
    expect(await refusal(policy.check(url))).toBe(expected);
  });

  it('gives up on a resolver that does not answer within resolveTimeoutMs', async () => {
    const hung = new EgressPolicy({ resolve: () => new Promise(() => undefined), resolveTimeoutMs: 50 });
    const started = Date.now();
    expect(await refusal(hung.check('https://slow.example.com/hook'))).toBe('unresolvable: host slow.example.com did not resolve within 50 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a host name the system resolver maps to loopback', async () => {
    expect(await refusal(new EgressPolicy().check('http://localhost:3200/hook'))).toBe('not_public: resolves to 127.0.0.1, a loopback address');
  });

  it('refuses a host when any of its addresses is not public, and pins the first when all are', async () => {
    const mixed = new EgressPolicy({
      resolve: resolving({
        'mixed.example.com': [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }],
        'dual.example.com': [{ address: '2606:2800:220:1::1', family: 6 }, { address: '93.184.216.34', family: 4 }],
      }),
    });
    expect(await refusal(mixed.check('https://mixed.example.com/'))).toBe('not_public: resolves to 10.0.0.7, a private address');
    expect(await mixed.check('https://dual.example.com/hook')).toMatchObject({ hostname: 'dual.example.com', port: 443, address: '2606:2800:220:1::1', family: 6 });
    expect(await policy.check('http://hooks.example.com:8080/x')).toMatchObject({ port: 8080, address: '93.184.216.34', family: 4 });
  });

  it('lets through what the allow-list names, on its port when it gives one', async () => {
    const allowed = new EgressPolicy({ allowed: parseAllowedNetworks('127.0.0.1:3200, 10.20.0.0/16, [::1]:9000') });
    expect(await refusal(allowed.check('http://127.0.0.1:3200/hook'))).toBe('allowed');
    expect(await refusal(allowed.check('http://localhost:3200/hook'))).toBe('allowed');
    expect(await refusal(allowed.check('http://127.0.0.1:5432/'))).toBe('not_public: resolves to 127.0.0.1, a loopback address');
    expect(await refusal(allowed.check('https://10.20.3.4/'))).toBe('allowed');
    expect(await refusal(allowed.check('https://10.21.0.1/'))).toBe('not_public: resolves to 10.21.0.1, a private address');
    expect(await refusal(allowed.check('http://[::1]:9000/'))).toBe('allowed');
    expect(await refusal(allowed.check('http://[::1]:9001/'))).toBe('not_public: resolves to ::1, a loopback address');
  });
});

describe('allow-list entries', () => {
  it('parse addresses and CIDRs, each with an optional port', () => {
    expect(parseAllowedNetworks(' 127.0.0.0/8 ,10.0.0.1:443,fd00::/8,[::1]:3200,[fe80::/10]:80,').map((n) => [n.text, n.port])).toEqual([
      ['127.0.0.0/8', null],
      ['10.0.0.1:443', 443],
      ['fd00::/8', null],
      ['[::1]:3200', 3200],
      ['[fe80::/10]:80', 80],
    ]);
    expect(parseAllowedNetworks('')).toEqual([]);
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/', '10.0.0.1:0', '10.0.0.1:http', '[::1]:99999', '::1/129', '300.1.1.1'])('refuse %s', (entry) => {
    expect(() => parseAllowedNetworks(entry)).toThrow(`"${entry}" is not an address or CIDR`);
  });
});

describe('a pinned lookup', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(req.headers.host));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('connects to the checked address under the URL’s own host name, asking no DNS', async () => {
    const policy = new EgressPolicy({ allowed: parseAllowedNetworks('127.0.0.1'), resolve: resolving({ 'receiver.invalid': [{ address: '127.0.0.1', family: 4 }] }) });
    const destination = await policy.check(`http://receiver.invalid:${port}/hook`);
    const hostHeader = await new Promise<string>((resolve, reject) =>
      get(destination.url, { lookup: pinnedLookup(destination) }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c)).on('end', () => resolve(text));
      }).on('error', reject),
    );
    expect(hostHeader).toBe(`receiver.invalid:${port}`);
  });
});
