/**
 * @portal/platform: the services every subgraph shares: the injectable clock, the Japanese
 * business calendar, the PostgreSQL job queue, outbox mail and signed file links.
 */
export * from './clock.ts';
export * from './calendar.ts';
export * from './jobs.ts';
export * from './sql.ts';
export * from './db-scope.ts';
export * from './mail.ts';
export * from './files.ts';
export * from './events.ts';
export * from './shutdown.ts';
export * from './http-drain.ts';
export * from './http-server.ts';
