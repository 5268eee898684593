import { clientAddressBucket, type Identity } from '@portal/auth';

/**
 * Rate limits as token buckets (docs/architecture.md, "Rate limits"). A bucket holds up to `quota`
 * tokens and refills at `quota / windowSeconds` per second; a request takes `cost` tokens from every
 * bucket that applies to its caller, all or none, so a caller refused by one bucket (an account over
 * its own limit) drains nobody else's (its member's shared bucket).
 *
 * The maths lives here as pure functions (table-tested) and once more in SQL
 * (`rate-limit-store.ts`, one statement per request); a test runs the same table through both.
 */

/** One bucket's size: `quota` tokens, refilled completely in `windowSeconds` (the RateLimit-Policy `q` and `w`). */
export interface RatePolicy {
  readonly quota: number;
  readonly windowSeconds: number;
}

/** The stored state of one bucket. Absent means full. */
export interface BucketState {
  readonly tokens: number;
  /** Milliseconds since the epoch of the last take or refusal. */
  readonly updatedAt: number;
}

export interface BucketCheck {
  readonly kind: string;
  readonly policy: RatePolicy;
  readonly state: BucketState | undefined;
}

export interface TakeResult {
  readonly allowed: boolean;
  /** Each bucket's tokens after this request (refilled, and taken when allowed), in input order. */
  readonly tokens: readonly number[];
}

export const refillPerSecond = (policy: RatePolicy): number => policy.quota / policy.windowSeconds;

/** The tokens a bucket holds at `now`: refilled linearly since its last update, never above the quota. A clock that went back refills nothing. */
export function levelAt(policy: RatePolicy, state: BucketState | undefined, now: number): number {
  if (!state) return policy.quota;
  const elapsedSeconds = Math.max(0, now - state.updatedAt) / 1000;
  return Math.min(policy.quota, state.tokens + elapsedSeconds * refillPerSecond(policy));
}

/** Takes `cost` from every bucket if every bucket holds that many; otherwise takes nothing (the same rule as `gateway.rate_take`). */
export function takeTokens(buckets: readonly BucketCheck[], cost: number, now: number): TakeResult {
  const levels = buckets.map((b) => levelAt(b.policy, b.state, now));
  const allowed = levels.every((level) => level >= cost);
  return { allowed, tokens: allowed ? levels.map((level) => level - cost) : levels };
}

/** What the gateway tells the client about one bucket after a request. */
export interface BucketReport {
  readonly kind: string;
  readonly policy: RatePolicy;
  /** Tokens left (whole tokens, rounded down). */
  readonly remaining: number;
  /** Seconds until the bucket is full again (RateLimit `t`). */
  readonly resetSeconds: number;
  /** Seconds until this bucket could serve `cost` again; 0 when it can now; null when `cost` exceeds the quota (never). */
  readonly retryAfterSeconds: number | null;
}

export interface RateDecision {
  readonly allowed: boolean;
  readonly cost: number;
  readonly buckets: readonly BucketReport[];
  /** When refused: whole seconds until every bucket could serve the request (Retry-After); null when it never can. */
  readonly retryAfterSeconds: number | null;
  /** When refused: the bucket that refused (the one with the longest wait), named in the error. */
  readonly refusedBy: string | null;
}

/** Turns the buckets' tokens after a take into the client's view: remaining, reset, and the wait when refused. */
export function decide(buckets: readonly { kind: string; policy: RatePolicy }[], result: TakeResult, cost: number): RateDecision {
  const reports: BucketReport[] = buckets.map((b, i) => {
    const tokens = result.tokens[i]!;
    const rate = refillPerSecond(b.policy);
    const missing = result.allowed ? 0 : Math.max(0, cost - tokens);
    return {
      kind: b.kind,
      policy: b.policy,
      remaining: Math.max(0, Math.floor(tokens + 1e-9)),
      // The epsilon keeps float dust (4.000000001 s) from adding a whole second.
      resetSeconds: Math.max(0, Math.ceil(Math.max(0, b.policy.quota - tokens) / rate - 1e-9)),
      retryAfterSeconds: cost > b.policy.quota ? null : Math.max(0, Math.ceil(missing / rate - 1e-9)),
    };
  });
  if (result.allowed) return { allowed: true, cost, buckets: reports, retryAfterSeconds: null, refusedBy: null };
  const never = reports.find((r) => r.retryAfterSeconds === null);
  const slowest = never ?? reports.reduce((a, b) => ((b.retryAfterSeconds ?? 0) > (a.retryAfterSeconds ?? 0) ? b : a));
  // A refusal always asks for at least a second: Retry-After 0 would invite an immediate, equally refused retry.
  return { allowed: false, cost, buckets: reports, retryAfterSeconds: never ? null : Math.max(1, slowest.retryAfterSeconds ?? 1), refusedBy: slowest.kind };
}

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers: structured-field lists,
 * one item per bucket): `RateLimit-Policy: "member";q=3000;w=60` and `RateLimit: "member";r=2999;t=1`.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  if (decision.buckets.length === 0) return {};
  const headers: Record<string, string> = {
    'ratelimit-policy': decision.buckets.map((b) => `"${b.kind}";q=${b.policy.quota};w=${b.policy.windowSeconds}`).join(', '),
    ratelimit: decision.buckets.map((b) => `"${b.kind}";r=${b.remaining};t=${b.resetSeconds}`).join(', '),
  };
  if (!decision.allowed && decision.retryAfterSeconds !== null) headers['retry-after'] = String(decision.retryAfterSeconds);
  return headers;
}

/**
 * The kinds of request buckets: which callers each applies to and its key. Adding a realm (partners)
 * is one line here and its default in DEFAULT_RATE_LIMITS. Keys are the kind and an id: one member's
 * burst never touches another member's bucket.
 */
export const REQUEST_BUCKET_KINDS = {
  /** One login account (member staff or operator). */
  account: (identity: Identity) => (identity.kind !== 'anonymous' ? identity.accountId : null),
  /** All accounts of one corporate member together. */
  member: (identity: Identity) => (identity.kind === 'member' ? identity.memberId : null),
  /** Calls without a session (login, verification links, a bad token), per client address (IPv6: per /64). */
  address: (identity: Identity) => (identity.kind === 'anonymous' ? addressSubject(identity.clientIp) : null),
  // partner: (identity) => (identity.kind === 'partner' ? identity.partnerId : null),
} as const satisfies Record<string, (identity: Identity) => string | null>;
export type RequestBucketKind = keyof typeof REQUEST_BUCKET_KINDS;

/** The cost budget's bucket: charged with each operation's computed cost, per account (per address without a session). */
export const COST_BUCKET_KIND = 'cost';

export type RateLimitKind = RequestBucketKind | typeof COST_BUCKET_KIND;

/**
 * Defaults: far above what a person in GraphiQL or the demo client does (an account may send 10
 * requests a second for a minute before it waits), and above what any existing test file sends from
 * one address; tests lower them with PORTAL_RATE_LIMITS.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitKind, RatePolicy | null>> = {
  account: { quota: 600, windowSeconds: 60 },
  member: { quota: 3000, windowSeconds: 60 },
  address: { quota: 300, windowSeconds: 60 },
  cost: { quota: 100_000, windowSeconds: 100 },
};

/**
 * Parses PORTAL_RATE_LIMITS: `kind=quota/windowSeconds` pairs (`account=600/60,address=off`) over the
 * defaults. `off` disables a kind. Unknown kinds and malformed values are errors (a typo must not
 * silently leave the defaults in place).
 */
export function parseRateLimits(text: string): Record<RateLimitKind, RatePolicy | null> {
  const limits = { ...DEFAULT_RATE_LIMITS } as Record<RateLimitKind, RatePolicy | null>;
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z]+)=(?:off|(\d+)\/(\d+)s?)$/.exec(part);
    const kind = match?.[1] as RateLimitKind | undefined;
    if (!match || !kind || !(kind in DEFAULT_RATE_LIMITS)) {
      throw new Error(`PORTAL_RATE_LIMITS: "${part}" is not kind=quota/seconds or kind=off (kinds: ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')})`);
    }
    if (match[2] === undefined) {
      limits[kind] = null;
      continue;
    }
    const quota = Number(match[2]);
    const windowSeconds = Number(match[3]);
    if (quota < 1 || windowSeconds < 1) throw new Error(`PORTAL_RATE_LIMITS: "${part}": quota and seconds must be at least 1`);
    limits[kind] = { quota, windowSeconds };
  }
  return limits;
}

/** The request buckets that apply to a caller, with their storage keys. */
export function requestBucketsFor(identity: Identity, limits: Readonly<Record<RateLimitKind, RatePolicy | null>>): { kind: string; key: string; policy: RatePolicy }[] {
  const buckets: { kind: string; key: string; policy: RatePolicy }[] = [];
  for (const [kind, keyOf] of Object.entries(REQUEST_BUCKET_KINDS)) {
    const policy = limits[kind as RequestBucketKind];
    const id = keyOf(identity);
    if (policy && id) buckets.push({ kind, key: `${kind}:${id}`, policy });
  }
  return buckets;
}

/**
 * The address a session-less caller is counted under: the one rule every limiter uses
 * (@portal/auth `clientAddressBucket`: IPv4 as is, IPv6 by its /64).
 */
export const addressSubject = clientAddressBucket;

/** The cost budget's bucket for a caller: its account, or its address without a session. */
export function costBucketFor(identity: Identity, limits: Readonly<Record<RateLimitKind, RatePolicy | null>>): { kind: string; key: string; policy: RatePolicy } | null {
  const policy = limits.cost;
  if (!policy) return null;
  const subject = identity.kind === 'anonymous' || !identity.accountId ? `address:${addressSubject(identity.clientIp)}` : `account:${identity.accountId}`;
  return { kind: COST_BUCKET_KIND, key: `${COST_BUCKET_KIND}:${subject}`, policy };
}

/** The GraphQL error's message (both languages, as the gateway's other errors). */
export function rateLimitedMessage(decision: RateDecision): string {
  if (decision.retryAfterSeconds === null) {
    return `This operation costs ${decision.cost}, more than the whole budget allows; ask for less data (smaller "first"). この操作のコスト（${decision.cost}）が利用上限を超えています。取得件数を減らしてください。`;
  }
  return `Too many requests (${decision.refusedBy} limit). Please retry after ${decision.retryAfterSeconds} s. リクエストが多すぎます。${decision.retryAfterSeconds}秒後に再度お試しください。`;
}
