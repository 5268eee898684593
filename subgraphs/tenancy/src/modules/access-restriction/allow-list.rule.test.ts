import { describe, expect, it } from 'vitest';
import { locksOut, normalizeAllowEntry } from './allow-list.rule.ts';

describe('normalizeAllowEntry', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['203.0.113.7/32', '203.0.113.7'],
    ['203.0.113.7/31', '203.0.113.6/31'],
    ['203.0.113.77/24', '203.0.113.0/24'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.0/120', '203.0.113.0/24'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['2001:db8::1/127', '2001:db8::/127'],
    ['2001:db8:abcd::/48', '2001:db8:abcd::/48'],
    ['203.0.113.7/33', null],
    ['2001:db8::/129', null],
    ['203.0.113', null],
    ['256.0.0.1', null],
    ['example.com', null],
    ['', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeAllowEntry(raw)).toBe(expected);
  });
});

describe('locksOut', () => {
  it.each([
    ['an empty list restricts nothing', '198.51.100.7', [], false],
    ['the caller inside a range', '203.0.113.255', ['203.0.113.0/24'], false],
    ['the caller just outside a range', '203.0.114.0', ['203.0.113.0/24'], true],
    ['the caller is the single address', '203.0.113.7', ['203.0.113.7'], false],
    ['the next address is not', '203.0.113.8', ['203.0.113.7'], true],
    ['an IPv4-mapped caller inside an IPv4 entry', '::ffff:203.0.113.7', ['203.0.113.0/24'], false],
    ['an IPv6 caller and IPv4 entries', '2001:db8::1', ['203.0.113.0/24'], true],
    ['an IPv6 caller inside an IPv6 range', '2001:db8::1', ['2001:db8::/32'], false],
  ])('%s', (_name, ip, entries, expected) => {
    expect(locksOut(ip, entries)).toBe(expected);
  });
});
