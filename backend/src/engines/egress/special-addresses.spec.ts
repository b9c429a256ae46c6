import { classifyAddress, describeNonPublic } from './special-addresses';

describe('addresses that are not on the public internet', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['64:ff9b:1::1', 'private'],
    ['100::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'], // Teredo, inside the IETF protocol block 2001::/23
    ['2001:2::1', 'reserved'],
    ['3fff::1', 'documentation'],
    ['5f00::1', 'reserved'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:0:7f00:1', 'reserved'], // outside 2000::/3 and no IPv4 form a connection would use
    ['4000::1', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toEqual({ kind });
  });

  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped', '127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped', '127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped', '169.254.169.254', 'link-local'],
    ['::10.0.0.1', 'IPv4-compatible', '10.0.0.1', 'private'],
    ['64:ff9b::192.168.0.1', 'NAT64', '192.168.0.1', 'private'],
    ['64:ff9b::7f00:1', 'NAT64', '127.0.0.1', 'loopback'],
    ['2002:7f00:1::', '6to4', '127.0.0.1', 'loopback'],
    ['2002:a00:1:5::9', '6to4', '10.0.0.1', 'private'],
  ])('%s is the %s form of %s, %s', (address, form, ipv4, kind) => {
    expect(classifyAddress(address)).toEqual({ kind, embedded: { form, ipv4 } });
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.0.1.255', '192.169.0.0', '223.255.255.255', '2606:4700::1111', '2a00:1450::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );

  it('describes what it found in words', () => {
    expect(describeNonPublic(classifyAddress('127.0.0.1')!)).toBe('a loopback address');
    expect(describeNonPublic(classifyAddress('::ffff:127.0.0.1')!)).toBe('an IPv4-mapped form of 127.0.0.1, a loopback address');
  });

  it('refuses text that is not an address', () => {
    expect(() => classifyAddress('localhost')).toThrow('not an IP address');
  });
});
