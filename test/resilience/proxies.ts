import { createServer as createHttpServer } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP front for a subgraph that the test can switch between passing connections through and
 * hanging them (accepts, never answers: the worst kind of down, where only a timeout tells).
 */
export interface SwitchableProxy {
  url: string;
  /** Where `pass` connects (set it once the real subgraph runs). */
  target: string;
  mode: 'pass' | 'hang';
  close(): Promise<void>;
}

export async function switchableProxy(path = '/graphql'): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>();
  const state = { mode: 'pass' as 'pass' | 'hang', target: '' };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (state.mode === 'hang') return;
    const target = new URL(state.target);
    const upstream = connect(Number(target.port), target.hostname);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    get target() {
      return state.target;
    },
    set target(url) {
      state.target = url;
    },
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
      // A kept-alive connection opened in the other mode must not carry on in it.
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => r());
      }),
  };
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** An HTTP front that forwards each request to `targetUrl` after `delayMs`: a slow subgraph. */
export async function delayingProxy(targetUrl: string, delayMs: number): Promise<{ url: string; readonly received: number; close(): Promise<void> }> {
  let received = 0;
  const server = createHttpServer(async (req, res) => {
    received++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await new Promise((r) => setTimeout(r, delayMs));
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k)).map(([k, v]) => [k, String(v)]));
    const upstream = await fetch(targetUrl, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined }).catch(() => null);
    if (!upstream) {
      res.statusCode = 502;
      return res.end();
    }
    res.statusCode = upstream.status;
    upstream.headers.forEach((value, key) => {
      if (key !== 'content-length' && key !== 'connection' && key !== 'keep-alive' && key !== 'transfer-encoding') res.setHeader(key, value);
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    get received() {
      return received;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
