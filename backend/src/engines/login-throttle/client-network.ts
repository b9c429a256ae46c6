import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client address is counted under: an IPv4 address itself, an
 * IPv6 address's /64 (one host usually holds a whole /64, so counting single
 * addresses would let it rotate through them). IPv4-mapped IPv6 counts as IPv4.
 */
export function clientNetwork(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare;
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lowercase hex without leading zeros. */
function expandIPv6(address: string): string[] {
  const [head, tail = ''] = address.includes('::') ? address.split('::') : [address, undefined];
  const parts = (text: string | undefined) => (text ? text.split(':').flatMap(groupsOf) : []);
  const left = parts(head);
  const right = address.includes('::') ? parts(tail) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/** A group, or the two groups of a trailing dotted IPv4 part. */
function groupsOf(part: string): string[] {
  if (!part.includes('.')) return [part];
  const [a, b, c, d] = part.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
