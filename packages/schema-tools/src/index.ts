export * from './subgraphs.ts';
export * from './findings.ts';
export { loadSubgraph, loadSubgraphs, type LoadedSubgraph } from './repo.ts';
export * from './compose.ts';
export * from './check.ts';
export { findClientDocuments, type ClientDocument } from './client-documents.ts';
