import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/**
 * The idle timeout (issue 10 item 8; ASVS 4.0 3.3.2 at level 2: 30 minutes) at its edge, through
 * the gateway. Sessions run on the database's clock, so they are aged in SQL rather than by moving
 * the business clock.
 */
let stack: Stack;
let shortIdle: Stack;
beforeAll(async () => {
  stack = await startStack({ only: [] });
  shortIdle = await startStack({ only: [], gatewayEnv: { PORTAL_SESSION_IDLE_MINUTES: '5' } });
});
afterAll(async () => {
  await stack?.stop();
  await shortIdle?.stop();
});

const ME = '{ me { account { loginId } } }';

async function freshSession(s: Stack) {
  const member = await s.seed.member();
  const account = await s.seed.account(member.id);
  const token = await s.login(account.loginId, account.password);
  return { account, token };
}
const idleFor = (s: Stack, accountId: string, interval: string) => s.sql(`update tenancy.session set last_seen_at = now() - cast($1 as interval) where account_id = $2`, [interval, accountId]);

describe('idle sessions', () => {
  it('by default, a session idle for 29:59 works and one idle for 30:00 is refused for good', async () => {
    const { account, token } = await freshSession(stack);
    await idleFor(stack, account.id, '29 minutes 59 seconds');
    const kept = await stack.gql<{ me: { account: { loginId: string } } }>(ME, {}, { token });
    expect(kept.body.data?.me.account.loginId).toBe(account.loginId);
    // That request was activity: the session is fresh again.
    const [seen] = await stack.sql<{ idle: boolean }>("select last_seen_at > now() - interval '1 minute' as idle from tenancy.session where account_id = $1", [account.id]);
    expect(seen!.idle).toBe(true);

    await idleFor(stack, account.id, '30 minutes');
    const refused = await stack.gql(ME, {}, { token });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Refused stays refused: the refused request did not refresh it.
    expect((await stack.gql(ME, {}, { token })).status).toBe(401);
  });

  it('keeps the absolute lifetime: a session in active use ends at its expiry', async () => {
    const { account, token } = await freshSession(stack);
    expect((await stack.gql(ME, {}, { token })).status).toBe(200);
    await stack.sql("update tenancy.session set expires_at = now() - interval '1 second' where account_id = $1", [account.id]);
    expect((await stack.gql(ME, {}, { token })).status).toBe(401);
  });

  it('follows PORTAL_SESSION_IDLE_MINUTES on the gateway (5 here): 4:59 works, 5:00 is refused', async () => {
    const { account, token } = await freshSession(shortIdle);
    await idleFor(shortIdle, account.id, '4 minutes 59 seconds');
    expect((await shortIdle.gql(ME, {}, { token })).status).toBe(200);
    await idleFor(shortIdle, account.id, '5 minutes');
    expect((await shortIdle.gql(ME, {}, { token })).status).toBe(401);
  });
});
