import { describe, expect, it } from 'vitest';
import type { Identity } from '@portal/auth';
import { addressSubject, costBucketFor, decide, levelAt, parseRateLimits, rateLimitHeaders, requestBucketsFor, takeTokens, DEFAULT_RATE_LIMITS, type RatePolicy } from '../src/rate-limit.ts';
import { TAKE_TABLE } from './rate-limit.table.ts';

describe('token bucket maths', () => {
  it.each(TAKE_TABLE)('$name', ({ buckets, cost, now, allowed, tokens }) => {
    const result = takeTokens(buckets, cost, now);
    expect(result.allowed).toBe(allowed);
    result.tokens.forEach((t, i) => expect(t).toBeCloseTo(tokens[i]!, 9));
  });

  it('levelAt refills linearly between the edges', () => {
    const policy: RatePolicy = { quota: 60, windowSeconds: 60 };
    expect(levelAt(policy, { tokens: 0, updatedAt: 0 }, 30_000)).toBeCloseTo(30, 9);
    expect(levelAt(policy, undefined, 0)).toBe(60);
  });
});

describe('decision and headers', () => {
  const account = { kind: 'account', policy: { quota: 10, windowSeconds: 10 } };
  const member = { kind: 'member', policy: { quota: 100, windowSeconds: 50 } };

  it.each([
    ['allowed: remaining rounded down, reset until full', [account], { allowed: true, tokens: [6.5] }, 1, { allowed: true, retry: null, by: null, remaining: [6], reset: [4] }],
    ['refused: waits until the missing token has refilled', [account], { allowed: false, tokens: [0.25] }, 1, { allowed: false, retry: 1, by: 'account', remaining: [0], reset: [10] }],
    ['refused by the slower bucket', [account, member], { allowed: false, tokens: [0, 0] }, 5, { allowed: false, retry: 5, by: 'account', remaining: [0, 0], reset: [10, 50] }],
    ['a refusal never says retry in 0 s', [account], { allowed: false, tokens: [0.9999] }, 1, { allowed: false, retry: 1, by: 'account', remaining: [0], reset: [10] }],
    ['a cost above the quota: no retry time at all', [account], { allowed: false, tokens: [10] }, 11, { allowed: false, retry: null, by: 'account', remaining: [10], reset: [0] }],
  ] as const)('%s', (_name, buckets, result, cost, expected) => {
    const d = decide(buckets, result, cost);
    expect(d.allowed).toBe(expected.allowed);
    expect(d.retryAfterSeconds).toBe(expected.retry);
    expect(d.refusedBy).toBe(expected.by);
    expect(d.buckets.map((b) => b.remaining)).toEqual(expected.remaining);
    expect(d.buckets.map((b) => b.resetSeconds)).toEqual(expected.reset);
  });

  it('formats the IETF RateLimit fields, one list item per bucket, and Retry-After only on refusal', () => {
    const ok = rateLimitHeaders(decide([account, member], { allowed: true, tokens: [9, 99] }, 1));
    expect(ok).toEqual({ 'ratelimit-policy': '"account";q=10;w=10, "member";q=100;w=50', ratelimit: '"account";r=9;t=1, "member";r=99;t=1' });
    const refused = rateLimitHeaders(decide([account], { allowed: false, tokens: [0] }, 3));
    expect(refused['retry-after']).toBe('3');
    expect(rateLimitHeaders(decide([], { allowed: true, tokens: [] }, 1))).toEqual({});
  });
});

describe('which buckets apply to whom', () => {
  const base = { sessionId: null, scopes: new Set<never>(), clientIp: '203.0.113.9', requestId: 'r' };
  const member: Identity = { ...base, kind: 'member', accountId: 'acc-1', memberId: 'mem-1' };
  const operator: Identity = { ...base, kind: 'operator', accountId: 'op-1', memberId: null };
  const anonymous: Identity = { ...base, kind: 'anonymous', accountId: null, memberId: null };

  it.each([
    ['a member account: its account and its member', member, ['account:acc-1', 'member:mem-1'], 'cost:account:acc-1'],
    ['an operator: its account only', operator, ['account:op-1'], 'cost:account:op-1'],
    ['no session: the client address', anonymous, ['address:203.0.113.9'], 'cost:address:203.0.113.9'],
  ] as const)('%s', (_name, identity, keys, costKey) => {
    expect(requestBucketsFor(identity, DEFAULT_RATE_LIMITS).map((b) => b.key)).toEqual(keys);
    expect(costBucketFor(identity, DEFAULT_RATE_LIMITS)?.key).toBe(costKey);
  });

  it.each([
    ['IPv4: the address', '203.0.113.9', '203.0.113.9'],
    ['IPv6: its /64 (a host picks any address in it)', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['IPv6 in the same /64 shares the bucket', '2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['the next /64 does not', '2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['IPv4-mapped IPv6: the IPv4 address, as the login limiter counts it', '::ffff:203.0.113.9', '203.0.113.9'],
  ])('anonymous address subject, %s', (_name, ip, subject) => {
    expect(addressSubject(ip)).toBe(subject);
  });

  it('a kind switched off applies to nobody', () => {
    const limits = parseRateLimits('member=off,cost=off');
    expect(requestBucketsFor(member, limits).map((b) => b.kind)).toEqual(['account']);
    expect(costBucketFor(member, limits)).toBeNull();
  });
});

describe('PORTAL_RATE_LIMITS', () => {
  it('overrides the defaults kind by kind', () => {
    const limits = parseRateLimits('account=5/10, address=3/60s');
    expect(limits.account).toEqual({ quota: 5, windowSeconds: 10 });
    expect(limits.address).toEqual({ quota: 3, windowSeconds: 60 });
    expect(limits.member).toEqual(DEFAULT_RATE_LIMITS.member);
    expect(parseRateLimits('')).toEqual(DEFAULT_RATE_LIMITS);
  });

  it.each(['acount=5/10', 'account=5', 'account=0/10', 'account=5/0', 'account=-1/10'])('refuses %s', (text) => {
    expect(() => parseRateLimits(text)).toThrow(/PORTAL_RATE_LIMITS/);
  });
});
