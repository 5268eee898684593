import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainable } from './http-drain.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(() => r(undefined)) ?? r(undefined));
});

/** A server whose `/slow` answers when the test says so, and `/fast` at once. */
async function start() {
  const release: (() => void)[] = [];
  server = createServer((req, res) => {
    if (req.url === '/slow') release.push(() => res.end('slow done'));
    else res.end('fast');
  });
  const drain = drainable(server, 5_000);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { drain, port, release: () => release.splice(0).forEach((f) => f()), waiting: () => release.length };
}

function get(port: number, path: string, agent?: import('node:http').Agent): Promise<{ body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ body, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve('accepted');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('drainable', () => {
  it('finishes requests in flight, refuses new connections, and closes the kept-alive ones', async () => {
    const { drain, port, release, waiting } = await start();
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    await get(port, '/fast', agent); // leaves an idle keep-alive connection
    const slow = [get(port, '/slow'), get(port, '/slow'), get(port, '/slow')];
    await until(() => waiting() === 3);

    const drained = drain.drain();
    expect(drain.draining).toBe(true);
    expect(drain.inFlight).toBe(3);
    expect(await refused(port)).toBe('ECONNREFUSED');
    release();
    const answers = await Promise.all(slow);
    expect(answers.map((a) => a.body)).toEqual(['slow done', 'slow done', 'slow done']);
    // Their connections end with them instead of waiting out the keep-alive timeout.
    expect(answers.every((a) => a.connection === 'close')).toBe(true);
    expect((await drained).cutOff).toBe(0);
    agent.destroy();
  });

  it('cuts what is still running when the drain timeout runs out', async () => {
    const { drain, port, waiting } = await start();
    const hung = get(port, '/slow').catch((err: NodeJS.ErrnoException) => err.code);
    await until(() => waiting() === 1);
    const result = await drain.drain(100);
    expect(result.cutOff).toBe(1);
    expect(await hung).toBe('ECONNRESET');
  });
});
