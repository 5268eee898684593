export * from './embedded.ts';
export * from './test-database.ts';
