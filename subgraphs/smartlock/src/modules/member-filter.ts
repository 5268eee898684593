/** The shared default-on member filter (packages/subgraph-kit/src/member-filter.ts). */
export { memberFilter } from '@portal/subgraph-kit';
