
export * from './orm.ts';
export * from './db-roles.ts';
export * from './row-level-security.ts';
export * from './server.ts';
export * from './sql-metrics.ts';
export * from './user-errors.ts';
export * from './scalars.ts';
export * from './boot.ts';
export * from './resolvers.ts';
export * from './services.ts';
export * from './download-log.ts';
export * from './member-filter.ts';
export * from './room-read-model.ts';
export * from './idempotency.ts';
export * from './request-scope.ts';
export * from './attempt-limit.rule.ts';
export * from './attempt-limiter.ts';
