import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';
import { createPortalClient, fetchMe, login } from '../src/index.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['tenancy'] });
});
afterAll(async () => {
  await stack?.stop();
});

describe('the typed urql client against the gateway', () => {
  it('logs in and reads me with typed results', async () => {
    const member = await stack.seed.member({ name: '株式会社クライアント' });
    const account = await stack.seed.account(member.id, { smartlock: 'VIEW', fireInsurance: 'USE' });
    let token: string | null = null;
    const client = createPortalClient({ url: stack.gatewayUrl, getToken: () => token });

    const failed = await login(client, account.loginId, 'wrong-password');
    expect(failed.token).toBeNull();
    expect(failed.userErrors.map((e) => e.code)).toEqual(['INVALID_CREDENTIALS']);

    const ok = await login(client, account.loginId, account.password);
    token = ok.token ?? null;
    expect(token).toEqual(expect.any(String));
    const me = await fetchMe(client);
    expect(me.account.loginId).toBe(account.loginId);
    expect(me.member.name).toBe('株式会社クライアント');
    expect(me.permissions).toEqual({ billing: 'VIEW', cancellation: 'NONE', residents: 'NONE', smartlock: 'VIEW', fireInsurance: 'USE', accessRestriction: false, admin: false, __typename: 'Permissions' });
  });
});
