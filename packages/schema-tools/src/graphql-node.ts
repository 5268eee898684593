import { createRequire } from 'node:module';

/**
 * graphql as Node itself resolves it (its CommonJS build), i.e. the copy that dependencies loaded
 * natively by Node (@graphql-inspector/core, @apollo/*) use. Under vitest our own `import 'graphql'`
 * may resolve to the ESM build instead, and graphql-js refuses schemas from "another realm"; so
 * schemas handed to those dependencies are built with this copy.
 */
export const nodeGraphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
