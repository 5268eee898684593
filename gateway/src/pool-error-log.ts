import type { Logger } from 'pino';

/**
 * The session pool's 'error' handler. pg's error carries the whole client (connection parameters,
 * type parsers, prepared statements): logged as `err` that is a 3 KB line on every connection when
 * the database stops (Ctrl+C on `npm start` stops the embedded PostgreSQL with the apps). An idle
 * connection closed by the server only needs saying, in one line: the message and PostgreSQL's code.
 */
export function logPoolError(log: Pick<Logger, 'warn'>, what: string): (error: Error & { code?: string }) => void {
  return (error) => log.warn({ code: error.code }, `${what}: ${error.message}`);
}
