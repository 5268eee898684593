import { z } from 'zod';
import { fileURLToPath } from 'node:url';

/** The gateway's settings; the only reader of process.env in the gateway. */
const shape = {
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL (the tenancy database: sessions live there)' }),
  PORTAL_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PORTAL_HOST: z.string().default('0.0.0.0'),
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
  PORTAL_MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(15),
  /** Gateway processes sharing the port (node:cluster): a number, or `auto` for one per CPU core. Default 1. */
  PORTAL_GATEWAY_WORKERS: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
};

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
