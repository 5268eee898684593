import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * Issue 12 item 8: the gateway tells an unavailable subgraph by the data source's error type (no
 * answer, or a 5xx), not by the text of a message. Through the real gateway, billing sits behind
 * a front the test switches between passing requests on and answering in ways a broken subgraph
 * or proxy does; the client sees SUBGRAPH_UNAVAILABLE only for the failures that mean "no answer".
 */
type Mode = 'pass' | '503' | '500-html' | 'not-json';

let stack: Stack;
let front: Server;
let mode: Mode = 'pass';
let target = '';
let token: string;

beforeAll(async () => {
  front = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (mode === '503') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream connect error or disconnect/reset before headers');
    if (mode === '500-html') return void res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error (fetch failed, ECONNREFUSED)</body></html>');
    if (mode === 'not-json') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance page: socket hang up, timed out</html>');
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)).map(([k, v]) => [k, String(v)]));
    const upstream = await fetch(target, { method: req.method, headers, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  const port = (front.address() as { port: number }).port;
  stack = await startStack({
    only: ['billing'],
    subgraphUrlOverrides: { billing: `http://127.0.0.1:${port}/graphql` },
    // The breaker must not open during the test: each case is about how one failed call is reported.
    gatewayEnv: { PORTAL_BREAKER_FAILURES: '1000' },
  });
  target = stack.subgraphs.billing!.url;
  const member = await stack.seed.member();
  const account = await stack.seed.account(member.id, { billing: 'VIEW' });
  token = await stack.login(account.loginId, account.password);
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => front?.close(r));
});

async function ask(as: Mode) {
  mode = as;
  const r = await stack.gql<{ me?: { scopes: string[] }; currentInvoice?: unknown }>('{ me { scopes } currentInvoice { id } }', {}, { token });
  return { codes: (r.body.errors ?? []).map((e) => e.extensions?.code), text: JSON.stringify(r.body.errors ?? []), me: r.body.data?.me };
}

describe('an unavailable subgraph is recognised by the error type (issue 12 item 8)', () => {
  it('control: billing answering through the front gives no error', async () => {
    expect((await ask('pass')).codes).toEqual([]);
  });

  it.each(['503', '500-html'] as const)('a %s from billing is SUBGRAPH_UNAVAILABLE, the rest of the answer arrives, and nothing of the body leaks', async (as) => {
    const r = await ask(as);
    expect(r.codes).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(r.me?.scopes).toContain('billing:view');
    expect(r.text).not.toMatch(/upstream|html|ECONNREFUSED|127\.0\.0\.1/);
  });

  it('a 200 whose body is not JSON is the subgraph answering wrongly: INTERNAL_SERVER_ERROR, whatever words its text contains', async () => {
    const r = await ask('not-json');
    expect(r.codes).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(r.text).not.toMatch(/maintenance|socket hang up/);
  });
});
