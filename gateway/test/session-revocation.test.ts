import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@portal/testing';

/** Permission changes and deletions apply to the very next request of a live session. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ only: ['smartlock'] });
});
afterAll(async () => {
  await stack?.stop();
});

const RECIPIENTS = '{ smartlockRecipients { totalCount } }';

describe('live sessions follow the account', () => {
  it('loses an area on the next request after its permission is lowered, and gains it back', async () => {
    const member = await stack.seed.member();
    const account = await stack.seed.account(member.id, { smartlock: 'VIEW' });
    const token = await stack.login(account.loginId, account.password);
    expect((await stack.gql(RECIPIENTS, {}, { token })).body.errors).toBeUndefined();

    await stack.sql(`update tenancy.account set smartlock_level = 'NONE' where id = $1`, [account.id]);
    const refused = await stack.gql(RECIPIENTS, {}, { token });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await stack.sql(`update tenancy.account set smartlock_level = 'USE' where id = $1`, [account.id]);
    expect((await stack.gql(RECIPIENTS, {}, { token })).body.errors).toBeUndefined();
  });

  it('is refused on the next request after the account is deleted', async () => {
    const member = await stack.seed.member();
    const keep = await stack.seed.account(member.id, { admin: true });
    const gone = await stack.seed.account(member.id);
    void keep;
    const token = await stack.login(gone.loginId, gone.password);
    expect((await stack.gql('{ me { scopes } }', {}, { token })).body.errors).toBeUndefined();
    await stack.sql('delete from tenancy.account where id = $1', [gone.id]);
    const after = await stack.gql('{ me { scopes } }', {}, { token });
    expect(after.status).toBe(401);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
