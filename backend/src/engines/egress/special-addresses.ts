import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public internet. */
export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'unique-local';

export interface NonPublicAddress {
  kind: AddressKind;
  /** For an IPv6 form of an IPv4 address (mapped, compatible, NAT64, 6to4): that IPv4 address. */
  embedded?: { form: string; ipv4: string };
}

type Range = [network: string, prefix: number, kind: AddressKind];

// IANA's IPv4 and IPv6 special-purpose registries, less the few blocks that are globally reachable
// (AS112, AMT); the first match names the kind, so 255.255.255.255 is "broadcast" before 240/4 is "reserved".
const IPV4: Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

// None of these overlaps a form that embeds an IPv4 address (checked next); anything else outside 2000::/3 is reserved too.
const IPV6: Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b:1::', 48, 'private'],
  ['100::', 64, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['2001::', 23, 'reserved'],
  ['3fff::', 20, 'documentation'],
  ['5f00::', 16, 'reserved'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'],
  ['ff00::', 8, 'multicast'],
];

const compile = (ranges: Range[], family: 'ipv4' | 'ipv6') =>
  ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return { list, kind };
  });
const IPV4_RANGES = compile(IPV4, 'ipv4');
const IPV6_RANGES = compile(IPV6, 'ipv6');
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

const DESCRIPTION: Record<AddressKind, string> = {
  unspecified: 'an unspecified ("this network") address',
  loopback: 'a loopback address',
  private: 'a private address',
  'carrier-grade NAT': 'a carrier-grade NAT (shared) address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  reserved: 'a reserved address',
  documentation: 'a documentation address',
  'unique-local': 'a unique-local address',
};

/** "a loopback address", or "an IPv4-mapped form of 127.0.0.1, a loopback address". */
export function describeNonPublic(found: NonPublicAddress): string {
  const what = DESCRIPTION[found.kind];
  return found.embedded ? `an ${found.embedded.form} form of ${found.embedded.ipv4}, ${what}` : what;
}

/** The kind of a non-public address, or null when the address is public. Throws on text that is not an IP address. */
export function classifyAddress(address: string): NonPublicAddress | null {
  const bare = address.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0) does not change the address
  const family = isIP(bare);
  if (family === 4) return classifyIpv4(bare);
  if (family !== 6) throw new Error(`not an IP address: ${address}`);
  const hit = IPV6_RANGES.find((r) => r.list.check(bare, 'ipv6'));
  if (hit) return { kind: hit.kind };
  const embedded = embeddedIpv4(ipv6Groups(bare));
  if (embedded) {
    const inner = classifyIpv4(embedded.ipv4);
    return inner && { kind: inner.kind, embedded };
  }
  return GLOBAL_UNICAST.check(bare, 'ipv6') ? null : { kind: 'reserved' };
}

function classifyIpv4(address: string): NonPublicAddress | null {
  const hit = IPV4_RANGES.find((r) => r.list.check(address, 'ipv4'));
  return hit ? { kind: hit.kind } : null;
}

/** IPv6 forms that carry an IPv4 address a connection may end up at. */
function embeddedIpv4(g: number[]): NonPublicAddress['embedded'] | null {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  if (zeros(0, 5) && g[5] === 0xffff) return { form: 'IPv4-mapped', ipv4: v4(g[6], g[7]) };
  if (zeros(0, 6)) return { form: 'IPv4-compatible', ipv4: v4(g[6], g[7]) };
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return { form: 'NAT64', ipv4: v4(g[6], g[7]) };
  if (g[0] === 0x2002) return { form: '6to4', ipv4: v4(g[1], g[2]) };
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` expanded and a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  const text = tail
    ? address.slice(0, tail.index) + [((+tail[1] << 8) | +tail[2]).toString(16), ((+tail[3] << 8) | +tail[4]).toString(16)].join(':')
    : address;
  const [head, rest] = text.split('::');
  const part = (s: string) => (s ? s.split(':') : []);
  const groups = rest === undefined ? part(head) : [...part(head), ...Array<string>(8 - part(head).length - part(rest).length).fill('0'), ...part(rest)];
  return groups.map((h) => parseInt(h, 16));
}
