import { describe, expect, it } from 'vitest';
import { ipAllowed, normalizeCidr, normalizeIp } from '../src/ip.ts';

describe('normalizeIp', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['::ffff:0a01:0203', '10.1.2.3'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['::1', '::1'],
    ['127.0.0.1', '127.0.0.1'],
    ['', null],
    ['not-an-ip', null],
    ['10.1.2.3.4', null],
    ['256.1.1.1', null],
    ['1.2.3.4:5678', null],
    // Non-canonical IPv4 spellings are ambiguous (leading zeros are octal to ipaddr.js): refuse them.
    ['192.168.001.010', null],
    ['010.0.0.1', null],
    ['10.1', null],
    ['167772161', null],
    ['0x0a.0.0.1', null],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });
});

describe('normalizeCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    [' 192.168.1.0/24 ', '192.168.1.0/24'],
    ['192.168.1.7', '192.168.1.7'],
    ['2001:db8:abcd:12::/64', '2001:db8:abcd:12::/64'],
    ['2001:DB8:ABCD:12:1:2:3:4/64', '2001:db8:abcd:12::/64'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/33', null],
    ['2001:db8::/129', null],
    ['10.0.0.0/', null],
    ['/8', null],
    ['garbage/8', null],
    ['', null],
    // Zero-padded octets: ipaddr.js reads them as octal (010 = 8), which would allow a different network.
    ['010.0.0.0/8', null],
    ['192.168.001.010', null],
    ['192.168.001.000/24', null],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeCidr(input)).toBe(expected);
  });
});

describe('ipAllowed', () => {
  const cases: [string, string, string[], boolean][] = [
    ['inside an IPv4 /8', '10.200.3.4', ['10.0.0.0/8'], true],
    ['outside an IPv4 /8', '11.0.0.1', ['10.0.0.0/8'], false],
    ['IPv4-mapped IPv6 peer against an IPv4 range', '::ffff:10.1.2.3', ['10.0.0.0/8'], true],
    ['IPv4-mapped IPv6 peer outside the IPv4 range', '::ffff:11.1.2.3', ['10.0.0.0/8'], false],
    ['IPv4 peer against an IPv4-mapped entry', '10.1.2.3', ['::ffff:10.0.0.0/104'], true],
    ['single IPv4 address, exact', '203.0.113.7', ['203.0.113.7'], true],
    ['single IPv4 address, neighbour', '203.0.113.8', ['203.0.113.7'], false],
    ['IPv6 inside a /64', '2001:db8:abcd:12:ffff:1:2:3', ['2001:db8:abcd:12::/64'], true],
    ['IPv6 in the neighbouring /64', '2001:db8:abcd:13::1', ['2001:db8:abcd:12::/64'], false],
    ['IPv6 single address, other spelling', '2001:0db8:0000:0000:0000:0000:0000:0001', ['2001:db8::1'], true],
    ['IPv6 single address, neighbour', '2001:db8::2', ['2001:db8::1'], false],
    ['IPv4 peer never matches an IPv6 range', '10.0.0.1', ['::/0'], false],
    ['IPv6 peer never matches an IPv4 range', '2001:db8::1', ['0.0.0.0/0'], false],
    ['malformed entries are skipped, good ones still apply', '10.0.0.1', ['nonsense', '10.0.0.0/33', '10.0.0.0/8'], true],
    ['only malformed entries: nothing is allowed', '10.0.0.1', ['nonsense', '10.0.0.0/33'], false],
    ['a malformed address is never allowed', 'nonsense', ['0.0.0.0/0'], false],
    ['an empty address is never allowed', '', ['0.0.0.0/0', '::/0'], false],
    ['an empty list allows nothing (callers skip the check when no entry exists)', '10.0.0.1', [], false],
    ['a zero-padded entry does not open another network', '8.1.2.3', ['010.0.0.0/8'], false],
    ['a zero-padded entry does not allow the octal-read address', '192.168.1.8', ['192.168.001.010'], false],
  ];
  it.each(cases)('%s', (_name, address, entries, expected) => {
    expect(ipAllowed(address, entries)).toBe(expected);
  });
});

describe('IPv6 with an embedded IPv4 tail', () => {
  it.each([
    ['::ffff:192.168.1.10', '192.168.1.10'],
    ['::ffff:192.168.001.010', null],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });
});
