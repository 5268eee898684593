import type pg from 'pg';
import { decide, type RateDecision, type RatePolicy } from './rate-limit.ts';

/**
 * Token buckets in PostgreSQL (`gateway.rate_bucket`), shared by every gateway replica on the
 * database. One statement per request: `gateway.rate_take` refills and takes from all the caller's
 * buckets atomically (rows locked in key order, so concurrent requests never deadlock), all or
 * none, on the database's clock (replicas' clocks may differ; the database's is the one they share).
 *
 * The gateway owns the schema and creates it at start (idempotent, under an advisory lock so
 * replicas starting together do not race on CREATE OR REPLACE). A bucket untouched for longer than
 * its window is full, the same as no row: rows idle past the longest window are deleted now and
 * then from the request path (no timer to stop).
 */
const SCHEMA_LOCK = 0x72617465; // 'rate'

// One simple-protocol query: PostgreSQL runs it as one transaction, so the advisory lock holds to the end
// and a failure leaves nothing half-created.
const DDL = `
select pg_advisory_xact_lock(${SCHEMA_LOCK});
create schema if not exists gateway;
create unlogged table if not exists gateway.rate_bucket (
  key text primary key,
  tokens double precision not null,
  updated_at timestamptz not null
);
comment on table gateway.rate_bucket is 'Rate-limit token buckets (gateway/src/rate-limit-store.ts); a missing row is a full bucket.';
create or replace function gateway.rate_take(p_keys text[], p_quota double precision[], p_per_second double precision[], p_cost double precision, p_at timestamptz default null)
returns table (tokens double precision, allowed boolean)
language plpgsql as $fn$
declare
  v_at timestamptz := coalesce(p_at, clock_timestamp());
  v_levels double precision[] := array_fill(0::double precision, array[coalesce(array_length(p_keys, 1), 0)]);
  v_allowed boolean := true;
  v_level double precision;
  i int;
begin
  -- Bucket state is worth no disk flush: losing the last moments of it in a crash only refills buckets.
  perform set_config('synchronous_commit', 'off', true);
  -- Key order: two requests locking the same buckets always lock them in the same order.
  for i in select u.ord from unnest(p_keys) with ordinality as u(k, ord) order by u.k loop
    insert into gateway.rate_bucket as b (key, tokens, updated_at) values (p_keys[i], p_quota[i], v_at) on conflict (key) do nothing;
    select least(p_quota[i], b.tokens + greatest(0, extract(epoch from v_at - b.updated_at)::double precision) * p_per_second[i])
      into v_level from gateway.rate_bucket b where b.key = p_keys[i] for update;
    v_levels[i] := v_level;
    v_allowed := v_allowed and v_level >= p_cost;
  end loop;
  for i in 1 .. coalesce(array_length(p_keys, 1), 0) loop
    update gateway.rate_bucket b
       set tokens = case when v_allowed then v_levels[i] - p_cost else v_levels[i] end,
           updated_at = greatest(b.updated_at, v_at)
     where b.key = p_keys[i];
    tokens := case when v_allowed then v_levels[i] - p_cost else v_levels[i] end;
    allowed := v_allowed;
    return next;
  end loop;
end
$fn$;
`;

export interface RateBucketRequest {
  readonly kind: string;
  readonly key: string;
  readonly policy: RatePolicy;
}

export interface RateLimitStore {
  /** Takes `cost` from every bucket (all or none) and reports the outcome; no buckets: always allowed. */
  take(buckets: readonly RateBucketRequest[], cost: number, at?: Date): Promise<RateDecision>;
}

const CLEAN_EVERY_MS = 5 * 60_000;

/** Creates the schema (idempotent) and returns the store. */
export async function createPgRateLimitStore(pool: pg.Pool, options: { longestWindowSeconds: number; onError?: (error: unknown) => void }): Promise<RateLimitStore> {
  await pool.query(DDL);
  let lastClean = Date.now();
  const clean = () => {
    lastClean = Date.now();
    pool
      .query(`delete from gateway.rate_bucket where updated_at < clock_timestamp() - make_interval(secs => $1)`, [options.longestWindowSeconds])
      .catch((error: unknown) => options.onError?.(error));
  };
  return {
    async take(buckets, cost, at) {
      if (buckets.length === 0) return decide([], { allowed: true, tokens: [] }, cost);
      const { rows } = await pool.query<{ tokens: number; allowed: boolean }>({
        name: 'rate_take',
        text: 'select tokens, allowed from gateway.rate_take($1::text[], $2::float8[], $3::float8[], $4::float8, $5::timestamptz)',
        values: [buckets.map((b) => b.key), buckets.map((b) => b.policy.quota), buckets.map((b) => b.policy.quota / b.policy.windowSeconds), cost, at ?? null],
      });
      if (Date.now() - lastClean > CLEAN_EVERY_MS) clean();
      return decide(buckets, { allowed: rows[0]?.allowed ?? true, tokens: rows.map((r) => r.tokens) }, cost);
    },
  };
}
