import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * The stack talks to nobody but itself: no usage reporting, no cloud metadata probes (stock
 * @apollo/gateway 2.14 does both from its constructor unless APOLLO_TELEMETRY_DISABLED is set).
 * Every TCP connection made while the stack starts and answers requests is recorded; all must go to
 * the loopback addresses (PostgreSQL, the subgraphs, the gateway).
 */
const remote: string[] = [];
const originalConnect = net.Socket.prototype.connect;
let stack: Stack;

beforeAll(async () => {
  delete process.env.APOLLO_TELEMETRY_DISABLED;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as { host?: string; path?: string } | number | string;
    const host = typeof first === 'object' && first !== null ? (first.path ? `unix:${first.path}` : (first.host ?? 'localhost')) : typeof args[1] === 'string' ? args[1] : 'localhost';
    remote.push(host);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  stack = await startStack({ only: ['billing'] });
});
afterAll(async () => {
  net.Socket.prototype.connect = originalConnect;
  await stack?.stop();
});

describe('no traffic leaves the machine', () => {
  it('connects only to loopback addresses while starting and answering, and turns Apollo telemetry off', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id);
    const token = await stack.login(account.loginId, account.password);
    const me = await stack.gql<{ me: { account: { loginId: string } } }>('{ me { account { loginId } } }', {}, { token });
    expect(me.body.data?.me.account.loginId).toBe(account.loginId);
    // Give a background detector (they run asynchronously after the constructor) time to try.
    await new Promise((r) => setTimeout(r, 1500));
    expect(remote.length).toBeGreaterThan(0);
    const outside = remote.filter((h) => !/^(127\.\d+\.\d+\.\d+|::1|localhost|unix:.*)$/.test(h));
    expect(outside).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });
});
