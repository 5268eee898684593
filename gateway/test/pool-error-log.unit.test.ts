import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import pg from 'pg';
import { logPoolError } from '../src/pool-error-log.ts';

describe('session pool errors', () => {
  it('log one short line with the message and code, not the client pg attaches to the error', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ name: 'gateway' }, sink);
    // what pg emits when the server is stopped: a DatabaseError with the whole client attached
    const error = Object.assign(new pg.DatabaseError('terminating connection due to administrator command', 116, 'error'), { code: '57P01', client: new pg.Client({ connectionString: 'postgres://u@127.0.0.1:1/db' }) });
    logPoolError(log, 'session pool connection lost')(error);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 40, code: '57P01', msg: 'session pool connection lost: terminating connection due to administrator command' });
    expect(record.err).toBeUndefined();
    expect(lines[0]!.length).toBeLessThan(300);
    // the control: logging the error object itself, as before, is the multi-kilobyte line
    log.warn({ err: error }, 'session pool connection lost');
    expect(lines[1]!.length).toBeGreaterThan(1000);
  });
});
