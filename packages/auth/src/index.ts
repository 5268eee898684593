export * from './scopes.ts';
export * from './identity.ts';
export * from './requirements.ts';
export * from './operation-guard.ts';
export * from './schema-guard.ts';
export * from './ip.ts';
export * from './deadline.ts';
