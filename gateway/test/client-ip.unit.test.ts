import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientIpOf } from '../src/client-ip.ts';

function request(remoteAddress: string | undefined, forwardedFor?: string | string[]): IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const PROXIES = ['10.0.0.0/8', '2001:db8:ffff::/48'];

describe('clientIpOf', () => {
  const cases: [name: string, peer: string | undefined, xff: string | string[] | undefined, trusted: string[], expected: string][] = [
    ['no trusted proxies: the socket address', '203.0.113.7', undefined, [], '203.0.113.7'],
    ['no trusted proxies: X-Forwarded-For is ignored', '203.0.113.7', '10.1.2.3', [], '203.0.113.7'],
    ['spoofing from an untrusted peer is ignored', '203.0.113.7', '10.1.2.3, 192.0.2.1', PROXIES, '203.0.113.7'],
    ['IPv4-mapped socket address is normalised', '::ffff:203.0.113.7', undefined, [], '203.0.113.7'],
    ['trusted proxy: the hop it saw', '10.0.0.5', '203.0.113.7', PROXIES, '203.0.113.7'],
    ['trusted proxy on a dual-stack socket (::ffff:)', '::ffff:10.0.0.5', '203.0.113.7', PROXIES, '203.0.113.7'],
    ['a client-forged left part stops at the first untrusted hop from the right', '10.0.0.5', '1.1.1.1, 203.0.113.7', PROXIES, '203.0.113.7'],
    ['several trusted hops are skipped', '10.0.0.5', '1.1.1.1, 203.0.113.7, 10.9.9.9, 10.8.8.8', PROXIES, '203.0.113.7'],
    ['a client claiming a trusted address on the far left cannot pass our proxies', '10.0.0.5', '10.6.6.6, 203.0.113.7', PROXIES, '203.0.113.7'],
    ['all hops trusted: the leftmost', '10.0.0.5', '10.0.0.9, 10.0.0.8', PROXIES, '10.0.0.9'],
    ['trusted proxy without the header: the proxy itself', '10.0.0.5', undefined, PROXIES, '10.0.0.5'],
    ['repeated headers are joined in order', '10.0.0.5', ['1.1.1.1', '203.0.113.7, 10.0.0.9'], PROXIES, '203.0.113.7'],
    ['hops are normalised (::ffff:)', '10.0.0.5', '::ffff:203.0.113.7', PROXIES, '203.0.113.7'],
    ['IPv6 client through an IPv6 proxy', '2001:db8:ffff:1::2', '2001:db8:1::7', PROXIES, '2001:db8:1::7'],
    ['a malformed hop stops the walk at the last good trusted hop', '10.0.0.5', '203.0.113.7, garbage', PROXIES, '10.0.0.5'],
    ['a malformed hop behind a trusted one', '10.0.0.5', 'garbage, 10.0.0.9', PROXIES, '10.0.0.9'],
    ['no socket address', undefined, '203.0.113.7', PROXIES, ''],
  ];
  it.each(cases)('%s', (_name, peer, xff, trusted, expected) => {
    expect(clientIpOf(request(peer, xff), trusted)).toBe(expected);
  });
});
