import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientIpOf } from '../src/client-ip.ts';

const request = (peer: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('clientIpOf (the address the IP allow-list checks)', () => {
  it.each([
    ['no trusted proxies: the socket, whatever the header says', '192.0.2.1', '203.0.113.9', [], '192.0.2.1'],
    ['an IPv4-mapped socket address is the IPv4 address', '::ffff:192.0.2.1', undefined, [], '192.0.2.1'],
    ['a trusted proxy: the forwarded client', '10.0.0.5', '203.0.113.9', ['10.0.0.0/8'], '203.0.113.9'],
    ['a peer that is not a trusted proxy: its header is ignored', '192.0.2.1', '203.0.113.9', ['10.0.0.0/8'], '192.0.2.1'],
    ['a forged left-most entry is skipped: the right-most untrusted hop counts', '10.0.0.5', '198.51.100.1, 203.0.113.9', ['10.0.0.0/8'], '203.0.113.9'],
    ['trusted hops are skipped from the right', '10.0.0.5', '203.0.113.9, 10.0.0.7, 10.0.0.6', ['10.0.0.0/8'], '203.0.113.9'],
    ['several header lines read as one list', '10.0.0.5', ['198.51.100.1', '203.0.113.9'], ['10.0.0.0/8'], '203.0.113.9'],
    ['a forwarded IPv4-mapped address is normalised', '10.0.0.5', '::ffff:203.0.113.9', ['10.0.0.0/8'], '203.0.113.9'],
    ['a malformed hop stops the walk at the last good one', '10.0.0.5', 'garbage, 10.0.0.6', ['10.0.0.0/8'], '10.0.0.6'],
    ['a trusted proxy without header: the proxy itself', '10.0.0.5', undefined, ['10.0.0.0/8'], '10.0.0.5'],
  ] as const)('%s', (_name, peer, header, trusted, expected) => {
    expect(clientIpOf(request(peer, header as string | string[] | undefined), trusted)).toBe(expected);
  });
});
