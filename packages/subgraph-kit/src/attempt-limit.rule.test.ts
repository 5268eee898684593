import { describe, expect, it } from 'vitest';
import { clientAddressBucket } from '@portal/auth';
import { afterFailure, attemptVerdict, delayFor, liveFailures, MAX_DELAY_MS, POLICY, WINDOW_MS, type AttemptCounter } from './attempt-limit.rule.ts';

const T0 = new Date('2026-12-07T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const counter = (failures: number, startedMsAgo = 0, now = T0): AttemptCounter => ({ failures, windowStartedAt: new Date(now.getTime() - startedMsAgo) });

describe('delayFor', () => {
  it.each([
    // One address, one ID: the first three failures cost nothing, the 4th attempt waits 250 ms, doubling to the cap.
    ['pair', 0, 0],
    ['pair', 2, 0],
    ['pair', 3, 250],
    ['pair', 4, 500],
    ['pair', 5, 1000],
    ['pair', 6, 1500],
    ['pair', 9, 1500],
    ['address', 19, 0],
    ['address', 20, 250],
    ['address', 99, 1500],
    ['subject', 9, 0],
    ['subject', 10, 250],
    ['subject', 12, 1000],
    ['subject', 13, 1500],
  ] as const)('%s after %i failures: %i ms', (kind, failures, expected) => {
    expect(delayFor(kind, failures)).toBe(expected);
  });

  it('never exceeds MAX_DELAY_MS, which stays well under the gateway\'s default 5 s subgraph timeout', () => {
    for (const kind of ['pair', 'address', 'subject'] as const) for (let n = 0; n <= 10_000; n++) expect(delayFor(kind, n)).toBeLessThanOrEqual(MAX_DELAY_MS);
    expect(delayFor('pair', 1_000_000)).toBe(MAX_DELAY_MS);
    expect(MAX_DELAY_MS).toBeLessThanOrEqual(2000 - 500); // leaves half a second of scrypt under the 2 s budget
  });
});

describe('attemptVerdict', () => {
  it.each([
    ['no counters at all', {}, { blocked: false, delayMs: 0 }],
    ['pair at 3 failures (the 4th attempt)', { pair: counter(3) }, { blocked: false, delayMs: 250 }],
    ['pair at 9 failures (the 10th attempt): slowed, still judged', { pair: counter(9) }, { blocked: false, delayMs: 1500 }],
    ['pair at 10 failures (the 11th attempt): refused', { pair: counter(10) }, { blocked: true, delayMs: 1500 }],
    ['address at 99 failures: slowed', { address: counter(99) }, { blocked: false, delayMs: 1500 }],
    ['address at 100 failures: refused', { address: counter(100) }, { blocked: true, delayMs: 1500 }],
    ['subject alone, however many failures: slowed, never refused (no lock-out tool)', { subject: counter(100_000) }, { blocked: false, delayMs: 1500 }],
    ['the largest delay of the three keys wins', { pair: counter(3), address: counter(22), subject: counter(11) }, { blocked: false, delayMs: 1000 }],
    ['pair block, window one millisecond from its end', { pair: counter(10, WINDOW_MS - 1) }, { blocked: true, delayMs: 1500 }],
    ['pair block, window just over', { pair: counter(10, WINDOW_MS) }, { blocked: false, delayMs: 0 }],
  ] as const)('%s', (_, counters, expected) => {
    expect(attemptVerdict(counters, T0)).toEqual(expected);
  });

  it('policy: only keys that contain the attacker\'s own address can block', () => {
    expect(POLICY.subject.blockAt).toBeNull();
    expect(POLICY.pair.blockAt).not.toBeNull();
    expect(POLICY.address.blockAt).not.toBeNull();
  });
});

describe('afterFailure and liveFailures', () => {
  it('starts a window at the first failure and counts within it', () => {
    const first = afterFailure(null, T0);
    expect(first).toEqual({ failures: 1, windowStartedAt: T0 });
    const second = afterFailure(first, at(WINDOW_MS - 1));
    expect(second).toEqual({ failures: 2, windowStartedAt: T0 });
  });

  it('starts again when the window has run out (the boundary is a new window)', () => {
    expect(afterFailure(counter(10), at(WINDOW_MS))).toEqual({ failures: 1, windowStartedAt: at(WINDOW_MS) });
    expect(liveFailures(counter(10), at(WINDOW_MS - 1))).toBe(10);
    expect(liveFailures(counter(10), at(WINDOW_MS))).toBe(0);
    expect(liveFailures(null, T0)).toBe(0);
  });

  it('a zero counter (a row created by a check, or reset by a success) starts a fresh window on the next failure', () => {
    expect(afterFailure(counter(0, 60_000), T0)).toEqual({ failures: 1, windowStartedAt: T0 });
  });
});

describe('clientAddressBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['', 'unknown'],
  ])('%j is counted as %j', (ip, bucket) => {
    expect(clientAddressBucket(ip)).toBe(bucket);
  });
});
