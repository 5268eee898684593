export { startGateway, type RunningGateway } from './gateway.ts';
export { loadSupergraph, type LoadedSupergraph } from './supergraph.ts';
export { createPgRateLimitStore } from './rate-limit-store.ts';
