import { describe, expect, it, vi } from 'vitest';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { createResponseMaskingPlugin, maskError, subgraphFailure } from '../src/errors.ts';
import { isFailureStatus } from '../src/breaker.ts';
import { filterSuggestions } from '../src/introspection.ts';
import { GraphQLError } from 'graphql';

function logger() {
  const error = vi.fn();
  return { log: { error } as unknown as Logger, error };
}

describe('maskError', () => {
  it.each([
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'IP_NOT_ALLOWED',
    'BAD_USER_INPUT',
    'NOT_FOUND',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_REQUEST',
    'OPERATION_RESOLUTION_FAILURE',
    'PERSISTED_QUERY_NOT_FOUND',
    'PERSISTED_QUERY_NOT_SUPPORTED',
    'OPERATION_LIMIT_EXCEEDED',
  ])('keeps the message of public code %s, without logging', (code) => {
    const { log, error } = logger();
    const out = maskError({ message: `message for ${code}`, path: ['a', 0], locations: [{ line: 1, column: 3 }], extensions: { code } }, 'req-1', log);
    expect(out).toEqual({ message: `message for ${code}`, path: ['a', 0], locations: [{ line: 1, column: 3 }], extensions: { code, requestId: 'req-1' } });
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps only whitelisted extensions of a public error', () => {
    const { log } = logger();
    const forbidden = [{ path: 'invoices', missingScopes: [['billing:view']], rule: 'Query.invoices' }];
    const out = maskError(
      {
        message: 'Forbidden',
        extensions: {
          code: 'FORBIDDEN',
          forbidden,
          paths: ['invoices'],
          field: 'x',
          missingScopes: [['admin']],
          rule: 'Invoice',
          stacktrace: ['at secret.ts:1'],
          exception: { sql: 'select * from accounts' },
          serviceName: 'billing',
          http: { status: 200 },
          requestId: 'forged',
        },
      },
      'req-2',
      log,
    );
    expect(out.extensions).toEqual({ code: 'FORBIDDEN', requestId: 'req-2', forbidden, paths: ['invoices'], field: 'x', missingScopes: [['admin']], rule: 'Invoice' });
  });

  it('masks an internal error: no message, no extensions, logged with the request id', () => {
    const { log, error } = logger();
    const formatted: GraphQLFormattedError = {
      message: 'relation "billing.invoice" does not exist',
      path: ['invoices'],
      locations: [{ line: 1, column: 2 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['x'], serviceName: 'billing' },
    };
    const out = maskError(formatted, 'req-3', log);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-3' });
    expect(out.path).toEqual(['invoices']);
    expect(out.message).toContain('req-3');
    expect(out.message).not.toContain('relation');
    expect(out).not.toHaveProperty('locations', formatted.locations);
    expect(error).toHaveBeenCalledWith({ requestId: 'req-3', error: formatted }, 'masked error');
  });

  it.each([
    ['no code at all', 'boom', undefined],
    ['an unknown code', 'boom', 'DOWNSTREAM_SERVICE_ERROR'],
    ['a non-string code', 'boom', 42],
  ])('masks %s to INTERNAL_SERVER_ERROR', (_name, message, code) => {
    const { log } = logger();
    const out = maskError({ message, extensions: code === undefined ? undefined : { code } }, 'req-4', log);
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-4' });
    expect(out.message).not.toContain('boom');
  });

  it('masks an outage the data source typed (SUBGRAPH_UNAVAILABLE) and names none of it', () => {
    const { log, error } = logger();
    const out = maskError({ message: 'Subgraph tenancy did not answer.', path: ['rooms'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'tenancy', status: 503 } }, 'req-5', log);
    expect(out.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', requestId: 'req-5' });
    expect(out.path).toEqual(['rooms']);
    expect(out.message).toContain('req-5');
    expect(out.message).not.toContain('tenancy');
    expect(error).toHaveBeenCalledOnce();
  });

  it.each(['fetch failed', 'connect ECONNREFUSED 127.0.0.1:4001', 'The operation was aborted due to timeout', 'socket hang up', '500: Internal Server Error (status 503)'])(
    'does not decide by the text: an untyped error saying %j stays INTERNAL_SERVER_ERROR',
    (message) => {
      const { log } = logger();
      const out = maskError({ message, path: ['rooms'], extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'tenancy' } }, 'req-5', log);
      expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-5' });
      expect(out.message).not.toContain(message);
    },
  );

  it('does not let a subgraph outage pose as a public code', () => {
    const { log } = logger();
    const out = maskError({ message: 'fetch failed', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }, 'req-6', log);
    expect(out.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', requestId: 'req-6' });
    expect(out.message).not.toBe('fetch failed');
  });

  it.each([
    ['an open circuit breaker', { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'billing', breaker: 'open' }, 'CIRCUIT_BREAKER_OPEN'],
    ['a call stopped past its deadline', { code: 'DEADLINE_EXCEEDED', rule: 'deadline' }, 'DEADLINE_EXCEEDED'],
  ])('names the rule of %s as SUBGRAPH_UNAVAILABLE, and nothing else of it', (_case, extensions, rule) => {
    const { log } = logger();
    const out = maskError({ message: 'Subgraph billing is unavailable (circuit breaker open).', extensions }, 'req-7', log);
    expect(out.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', requestId: 'req-7', rule });
    expect(out.message).toContain('一部のデータを取得できませんでした');
  });

  it('keeps the limit, the value, the maximum and the cost of an operation refused by a limit', () => {
    const { log } = logger();
    const out = maskError({ message: 'Operation refused', extensions: { code: 'OPERATION_LIMIT_EXCEEDED', limit: 'cost', value: 12, maximum: 10, cost: 12, http: { status: 400 } } }, 'req-7', log);
    expect(out.extensions).toEqual({ code: 'OPERATION_LIMIT_EXCEEDED', requestId: 'req-7', limit: 'cost', value: 12, maximum: 10, cost: 12 });
  });

  it('keeps only the suggested names the caller may see', () => {
    const { log } = logger();
    const message = 'Cannot query field "operatorInvoice" on type "Query". Did you mean "operatorInvoices", "invoice", or "invoices"?';
    const members = (name: string) => !name.startsWith('operator');
    expect(maskError({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, 'r', log, members).message).toBe(
      'Cannot query field "operatorInvoice" on type "Query". Did you mean "invoice" or "invoices"?',
    );
    expect(maskError({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, 'r', log, () => false).message).toBe('Cannot query field "operatorInvoice" on type "Query".');
    expect(maskError({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, 'r', log).message).toBe(message);
  });
});

describe('filterSuggestions', () => {
  it.each([
    ['one name', 'Unknown argument "frist". Did you mean "first"?', 'Unknown argument "frist". Did you mean "first"?'],
    ['a sub-message', 'Value "VIE" does not exist in "BillingLevel" enum. Did you mean the enum value "VIEW"?', 'Value "VIE" does not exist in "BillingLevel" enum. Did you mean the enum value "VIEW"?'],
    ['no suggestion', 'Syntax Error: Expected Name.', 'Syntax Error: Expected Name.'],
  ])('leaves %s intact when every name is visible', (_name, message, expected) => {
    expect(filterSuggestions(message, () => true)).toBe(expected);
  });
});

describe('valueCompletion masking', () => {
  it('passes the errors @apollo/gateway puts in extensions.valueCompletion through maskError', async () => {
    const { log, error } = logger();
    const plugin = createResponseMaskingPlugin((f) => maskError(f, 'req-8', log));
    const listener = await plugin.requestDidStart!({} as never);
    const raw = new GraphQLError('Invalid value found for field "Room.secret": "s3cr3t" is not a String', { path: ['room', 'secret'] });
    const response = { body: { kind: 'single' as const, singleResult: { data: { room: null }, extensions: { valueCompletion: [raw] } as Record<string, unknown> } } };
    await listener!.willSendResponse!({ response } as never);
    const masked = response.body.singleResult.extensions.valueCompletion as { message: string; path: unknown; extensions: unknown }[];
    expect(masked).toEqual([{ message: expect.stringContaining('req-8'), path: ['room', 'secret'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-8' } }]);
    expect(JSON.stringify(masked)).not.toContain('s3cr3t');
    expect(error).toHaveBeenCalledOnce();
  });
});

describe('subgraphFailure (the data source types its failures)', () => {
  const systemError = (code: string) => Object.assign(new Error(`read ${code}`), { code });
  const httpError = (status: number) => new GraphQLError(`${status}: status text`, { extensions: { response: { status } } });
  it.each([
    ['undici: connection refused', new TypeError('fetch failed', { cause: systemError('ECONNREFUSED') }), undefined],
    ['undici: the body was cut off', new TypeError('terminated'), 200],
    ['our timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), undefined],
    ['an abort', new DOMException('This operation was aborted', 'AbortError'), undefined],
    ['a socket error', systemError('ECONNRESET'), undefined],
    ['a 502 from a proxy', httpError(502), 502],
    ['a 503 while draining', httpError(503), 503],
  ])('%s is SUBGRAPH_UNAVAILABLE, with the cause kept for the log', (_case, error, status) => {
    const out = subgraphFailure('billing', error, status, isFailureStatus) as GraphQLError;
    expect(out).toBeInstanceOf(GraphQLError);
    expect(out.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'billing' });
    expect(out.originalError).toBe(error);
    // For the log (the client's message is replaced by maskError): the cause, with undici's system code.
    expect(out.message).toContain(error.message);
    if (error.cause) expect(out.message).toContain('ECONNREFUSED');
  });

  it.each([
    ['a 400 (the subgraph answered: a bad request)', httpError(400), 400],
    ['a 401 (the subgraph refused the identity: answered with a code of its own)', new GraphQLError('401: Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } }), 401],
    ['a body that is not JSON', new SyntaxError('Unexpected token < in JSON'), 200],
    ['a body that is JSON but not an object', new Error('Expected JSON response body, but received: 1'), 200],
  ])('%s is left as it was', (_case, error, status) => {
    expect(subgraphFailure('billing', error, status, isFailureStatus)).toBe(error);
  });

  it('keeps the breaker\'s own refusal, which already names its rule', () => {
    const open = new GraphQLError('Subgraph billing is unavailable (circuit breaker open).', { extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'billing', breaker: 'open' } });
    expect(subgraphFailure('billing', open, undefined, isFailureStatus)).toBe(open);
  });
});
