/**
 * Hive Gateway's config for the bench (`hive-gateway supergraph <file> [--jit | --hive-router-runtime]
 * -c bench/src/peers/hive.config.ts`). The only addition to the defaults: a static identity header
 * per subgraph (pre-signed, re-signed every 20 s), via `propagateHeaders.fromClientToSubgraphs`, or
 * the subgraphs (which verify every call) would answer 401. No auth of ours runs here.
 *
 * One default is turned off: the upstream executor's in-flight deduplication of identical subgraph
 * requests. With one static token every concurrent bench request is byte-identical upstream, so Hive
 * would serve N concurrent requests with one subgraph call — measuring a cache no real traffic hits
 * (in production every request carries its own signed identity, so upstream calls never coincide).
 */
import { defineConfig } from '@graphql-hive/gateway';
import { peerEnv, startTokenSource } from '../identity.ts';

const env = peerEnv();
const tokens = await startTokenSource(env.privateKeyPem, env.identity, Object.keys(env.subgraphUrls));

export const gatewayConfig = defineConfig({
  supergraph: env.supergraphPath,
  propagateHeaders: {
    fromClientToSubgraphs: ({ subgraphName }) => ({ 'x-portal-identity': tokens.get(subgraphName) }),
  },
  transportEntries: {
    '*': { options: { deduplicateInflightRequests: false } },
  },
  logging: 'warn',
});
