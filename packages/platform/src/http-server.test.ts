import { afterEach, describe, expect, it } from 'vitest';
import { HeaderMap } from '@apollo/server';
import { HttpError, httpGraphQLRequest, json, listenHttp, readJsonBody, writeGraphQLResponse, type ListeningHttpServer } from './http-server.ts';

let running: ListeningHttpServer | undefined;
afterEach(async () => {
  await running?.drain.drain(1_000);
  running = undefined;
});

/** A server whose handler echoes the parsed body and the request as Apollo Server would receive it. */
async function start(failures: unknown[] = []) {
  running = await listenHttp({
    port: 0,
    host: '127.0.0.1',
    drainTimeoutMs: 1_000,
    onFailure: (err) => failures.push(err),
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/boom') throw new Error('secret detail');
      if (url.pathname === '/named') {
        res.setHeader('x-request-id', 'req-1');
        throw new HttpError(403, 'FORBIDDEN', 'no');
      }
      const body = await readJsonBody(req);
      const gql = httpGraphQLRequest(req, url, body);
      json(res, 200, { body, method: gql.method, search: gql.search, header: gql.headers.get('x-test'), list: gql.headers.get('accept') });
    },
  });
  return `http://127.0.0.1:${running.port}`;
}

describe('listenHttp', () => {
  it('hands the handler the parsed JSON body and the headers as Apollo Server takes them', async () => {
    const base = await start();
    const res = await fetch(`${base}/graphql?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Test': 'yes' }, body: JSON.stringify({ query: '{ a }' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ body: { query: '{ a }' }, method: 'POST', search: '?x=1', header: 'yes' });
  });

  it('answers a body that is not JSON with 400 BAD_REQUEST, and one over the limit with 413, without reporting a failure', async () => {
    const failures: unknown[] = [];
    const base = await start(failures);
    const bad = await fetch(`${base}/graphql`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    const big = await fetch(`${base}/graphql`, { method: 'POST', body: 'x'.repeat(1_000_001) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    // Control: a body exactly at the limit is read (then refused as JSON, not as size).
    expect((await fetch(`${base}/graphql`, { method: 'POST', body: 'x'.repeat(1_000_000) })).status).toBe(400);
    expect(failures).toEqual([]);
  });

  it('answers an unexpected failure with a bare 500 and reports it; a named request keeps its id', async () => {
    const failures: unknown[] = [];
    const base = await start(failures);
    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(JSON.parse(text)).toMatchObject({ errors: [{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(text).not.toContain('secret detail');
    expect(failures).toHaveLength(1);
    const named = await fetch(`${base}/named`);
    expect(named.status).toBe(403);
    expect(await named.json()).toEqual({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN', requestId: 'req-1' } }] });
  });

  it('drains: readiness flips, the listener closes', async () => {
    const base = await start();
    const server = running!;
    expect(server.drain.draining).toBe(false);
    await server.drain.drain(1_000);
    expect(server.drain.draining).toBe(true);
    await expect(fetch(`${base}/graphql`)).rejects.toThrow();
  });
});

describe('writeGraphQLResponse', () => {
  it('joins the headers named as lists to what is already set, replaces the rest, and streams a chunked body', async () => {
    running = await listenHttp({
      port: 0,
      host: '127.0.0.1',
      onFailure: () => undefined,
      async handle(_req, res) {
        res.setHeader('ratelimit', '"a";r=1');
        res.setHeader('x-other', 'before');
        const headers = new HeaderMap([
          ['ratelimit', '"b";r=2'],
          ['x-other', 'after'],
        ]);
        async function* chunks() {
          yield 'one,';
          yield 'two';
        }
        await writeGraphQLResponse(res, { status: 202, headers, body: { kind: 'chunked', asyncIterator: chunks() } }, new Set(['ratelimit']));
      },
    });
    const res = await fetch(`http://127.0.0.1:${running.port}/`);
    expect(res.status).toBe(202);
    expect(res.headers.get('ratelimit')).toBe('"a";r=1, "b";r=2');
    expect(res.headers.get('x-other')).toBe('after');
    expect(await res.text()).toBe('one,two');
  });
});
