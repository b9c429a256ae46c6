export { EgressPolicy, EgressRefused, type EgressDestination, type RefusalKind, type ResolvedAddress, type Resolver } from './egress-policy';
export { parseAllowedNetworks, type AllowedNetwork } from './allowed-networks';
export { classifyAddress, describeNonPublic, type AddressKind, type NonPublicAddress } from './special-addresses';
export { pinnedLookup } from './pinned-lookup';
