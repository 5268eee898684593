export { createTestDatabase, type TestDatabase } from '@portal/db';
export * from './services.ts';
export * from './stack.ts';
