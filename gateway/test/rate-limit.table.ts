import type { BucketCheck } from '../src/rate-limit.ts';

/** Token bucket cases: the pure maths (rate-limit.unit.test.ts) and the SQL statement (rate-limit-store.test.ts) must both give these. */
export const TAKE_TABLE: { name: string; buckets: BucketCheck[]; cost: number; now: number; allowed: boolean; tokens: number[] }[] = [
  { name: 'a new bucket is full: the first request takes one', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: undefined }], cost: 1, now: 0, allowed: true, tokens: [9] },
  { name: 'the last token is taken', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 1, updatedAt: 0 } }], cost: 1, now: 0, allowed: true, tokens: [0] },
  { name: 'an empty bucket refuses and stays empty', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 0, updatedAt: 0 } }], cost: 1, now: 0, allowed: false, tokens: [0] },
  { name: 'half a token is not enough', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 0, updatedAt: 0 } }], cost: 1, now: 500, allowed: false, tokens: [0.5] },
  { name: 'refilled at quota/window per second (1/s): after 1 s a token is back', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 0, updatedAt: 0 } }], cost: 1, now: 1000, allowed: true, tokens: [0] },
  { name: 'refill stops at the quota', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 2, updatedAt: 0 } }], cost: 1, now: 3_600_000, allowed: true, tokens: [9] },
  { name: 'a clock that went back refills nothing', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: { tokens: 3, updatedAt: 5000 } }], cost: 1, now: 1000, allowed: true, tokens: [2] },
  { name: 'a cost above the quota never passes', buckets: [{ kind: 'a', policy: { quota: 10, windowSeconds: 10 }, state: undefined }], cost: 11, now: 0, allowed: false, tokens: [10] },
  { name: 'a cost of exactly the level passes', buckets: [{ kind: 'cost', policy: { quota: 1000, windowSeconds: 100 }, state: { tokens: 250, updatedAt: 0 } }], cost: 250, now: 0, allowed: true, tokens: [0] },
  {
    name: 'all or none: the account is empty, so the member bucket is not charged',
    buckets: [
      { kind: 'account', policy: { quota: 5, windowSeconds: 5 }, state: { tokens: 0, updatedAt: 0 } },
      { kind: 'member', policy: { quota: 50, windowSeconds: 50 }, state: { tokens: 20, updatedAt: 0 } },
    ],
    cost: 1,
    now: 0,
    allowed: false,
    tokens: [0, 20],
  },
  {
    name: 'all or none: both hold a token, both are charged',
    buckets: [
      { kind: 'account', policy: { quota: 5, windowSeconds: 5 }, state: { tokens: 1, updatedAt: 0 } },
      { kind: 'member', policy: { quota: 50, windowSeconds: 50 }, state: { tokens: 20, updatedAt: 0 } },
    ],
    cost: 1,
    now: 0,
    allowed: true,
    tokens: [0, 19],
  },
];

