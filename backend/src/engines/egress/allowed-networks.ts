import { BlockList, isIP } from 'node:net';

/** A network an operator lets outgoing requests reach although it is not public, optionally on one port only. */
export interface AllowedNetwork {
  /** As configured, e.g. `10.20.0.0/16` or `127.0.0.1:3200`. */
  text: string;
  port: number | null;
  matches(address: string, port: number): boolean;
}

/**
 * Parses a comma-separated allow-list. Each entry is an address or a CIDR,
 * optionally with a port: `10.20.0.0/16`, `127.0.0.1:3200`, `fd00::/8`,
 * `[::1]:3200`, `[fd00::/8]:443`. Throws an Error naming the first bad entry.
 */
export function parseAllowedNetworks(text: string): AllowedNetwork[] {
  return text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .map(parseEntry);
}

function parseEntry(entry: string): AllowedNetwork {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const [network, portText] = bracketed
    ? [bracketed[1], bracketed[2]]
    : entry.split(':').length === 2 // one colon: IPv4 with a port; more: a bare IPv6 network
      ? entry.split(':')
      : [entry, undefined];
  const [address, prefixText] = network.split('/');
  const family = isIP(address);
  const maxPrefix = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  const port = portText === undefined ? null : /^\d+$/.test(portText) ? Number(portText) : NaN;
  if (!family || !(prefix >= 0 && prefix <= maxPrefix) || (port !== null && !(port >= 1 && port <= 65535))) {
    throw new Error(`"${entry}" is not an address or CIDR with an optional port (e.g. 10.0.0.0/8, 127.0.0.1:3200, [::1]:3200)`);
  }
  const list = new BlockList();
  list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return {
    text: entry,
    port,
    matches(candidate, candidatePort) {
      const bare = candidate.replace(/%.*$/, '');
      return (port === null || port === candidatePort) && list.check(bare, isIP(bare) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
