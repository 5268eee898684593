import { z } from 'zod';
import type { OperationLimits } from './operation-limits.ts';
import { fileURLToPath } from 'node:url';
import { parseRateLimits } from './rate-limit.ts';

/** The gateway's settings; the only reader of process.env in the gateway. */
const shape = {
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL (the tenancy database: sessions live there)' }),
  PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Where to listen: loopback by default; PORTAL_HOST=0.0.0.0 (or an address) opens the gateway to the network. */
  PORTAL_HOST: z.string().default('127.0.0.1'),
  PORTAL_INTERNAL_PRIVATE_KEY: z.string().includes('BEGIN PRIVATE KEY', { message: 'must be the identity signing key (PKCS#8 PEM, Ed25519)' }),
  PORTAL_SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL('../../supergraph.graphql', import.meta.url))),
  /** `billing=http://host:4001/graphql,tenancy=...`; subgraphs not named keep the supergraph's URL. */
  PORTAL_SUBGRAPH_URLS: z.string().default(''),
  PORTAL_SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Comma-separated addresses/CIDRs of reverse proxies whose X-Forwarded-For we believe. Empty: the socket address is the client. */
  PORTAL_TRUSTED_PROXIES: z.string().default(''),
  /**
   * Minutes a session may sit unused before it ends (ASVS 4.0 3.3.2, level 2: 30). The absolute
   * lifetime (12 h from login) is tenancy's and applies too.
   */
  PORTAL_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  // Operation limits (operation-limits.ts), checked before validation and any subgraph call. The
  // defaults leave room above our client's, GraphiQL's and the permission matrix's operations
  // (test/security/operation-limits.test.ts measures them).
  PORTAL_MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(15),
  /**
   * Lexical tokens of the document (graphql's parser `maxTokens`). It also bounds graphql's own
   * validation, which runs before our limits and is quadratic in repeats of one field.
   */
  PORTAL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(2000),
  PORTAL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
  PORTAL_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).max(1000).default(20),
  /** Fragment spreads as executed (a fragment spread twice counts its own spreads twice). */
  PORTAL_MAX_FRAGMENT_SPREADS: z.coerce.number().int().min(0).max(10_000).default(100),
  PORTAL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(50),
  /** Computed cost (list sizes multiplied along the selection; docs/architecture.md "Operation limits"). */
  PORTAL_MAX_OPERATION_COST: z.coerce.number().int().min(1).max(100_000_000).default(25_000),
  /**
   * Rate limits over the defaults (rate-limit.ts DEFAULT_RATE_LIMITS): `kind=quota/seconds` pairs, e.g.
   * `account=600/60,member=3000/60,address=300/60,cost=100000/100`; `kind=off` disables one.
   */
  PORTAL_RATE_LIMITS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      try {
        return parseRateLimits(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** On SIGTERM, how long in-flight requests may run before their connections are cut (graceful stop). */
  PORTAL_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
  /** Consecutive failures (5xx, connection error, timeout) of one subgraph that open its circuit breaker. */
  PORTAL_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** How long an open breaker fails fast before it lets one probe request through (half-open). */
  PORTAL_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Gateway processes sharing the port (node:cluster): a number, or `auto` for one per CPU core. Default 1. */
  PORTAL_GATEWAY_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
};

/** Sensitive fields (login, password and code checks) per operation: one, not a setting. */
export const MAX_SENSITIVE_FIELDS = 1;

export type GatewayEnv = z.infer<z.ZodObject<typeof shape>>;
export const gatewayEnvShape = shape;

export function parseSubgraphUrls(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, url] = part.split('=');
    if (!name || !url || !/^https?:\/\//.test(url)) throw new Error(`PORTAL_SUBGRAPH_URLS: "${part}" is not name=http(s)://url`);
    map.set(name, url);
  }
  return map;
}

export function operationLimitsOf(env: GatewayEnv): OperationLimits {
  return {
    tokens: env.PORTAL_MAX_TOKENS,
    aliases: env.PORTAL_MAX_ALIASES,
    rootFields: env.PORTAL_MAX_ROOT_FIELDS,
    fragmentSpreads: env.PORTAL_MAX_FRAGMENT_SPREADS,
    directives: env.PORTAL_MAX_DIRECTIVES,
    depth: env.PORTAL_MAX_QUERY_DEPTH,
    sensitiveFields: MAX_SENSITIVE_FIELDS,
    cost: env.PORTAL_MAX_OPERATION_COST,
  };
}
