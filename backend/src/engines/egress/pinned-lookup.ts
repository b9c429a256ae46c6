import type { LookupFunction } from 'node:net';
import type { EgressDestination } from './egress-policy';

/**
 * A `lookup` for http(s).request / net.connect that answers with the address
 * the policy checked, whatever the host name: the connection cannot be sent
 * elsewhere by a second DNS answer. (An IP-literal host is never looked up.)
 */
export function pinnedLookup({ address, family }: EgressDestination): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}
