export * from './database.ts';
export * from './stack.ts';
