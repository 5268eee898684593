import { idempotent, type Keyed, type SubgraphContext } from '@portal/subgraph-kit';
import { AccountService } from './account.service.ts';

type Ctx = SubgraphContext;
const failed = <T extends object>(empty: T, userErrors: unknown[]) => ({ ...empty, userErrors });

export const accountResolvers = {
  Query: {
    accounts: (_: unknown, __: unknown, ctx: Ctx) => new AccountService(ctx).list(),
    account: (_: unknown, args: { id: string }, ctx: Ctx) => new AccountService(ctx).byId(args.id),
  },
  Mutation: {
    // Keyed: a retry would otherwise be refused (LOGIN_ID_TAKEN) and the generated password lost.
    createAccount: idempotent({ account: null, generatedPassword: null }, async (args: { input: Keyed }, ctx: Ctx) => {
      const r = await new AccountService(ctx).create(args.input);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    }),
    async updateAccount(_: unknown, args: { input: unknown }, ctx: Ctx) {
      const r = await new AccountService(ctx).update(args.input);
      return r.ok ? { account: r.account, userErrors: [] } : failed({ account: null }, r.userErrors);
    },
    async deleteAccount(_: unknown, args: { input: { id: string } }, ctx: Ctx) {
      const r = await new AccountService(ctx).delete(args.input.id);
      return r.ok ? { deletedAccountId: r.deletedAccountId, userErrors: [] } : failed({ deletedAccountId: null }, r.userErrors);
    },
    // Keyed: a retried reset would rotate the password again and lose the first one.
    resetAccountPassword: idempotent({ account: null, generatedPassword: null }, async (args: { input: { id: string; newPassword?: string | null } & Keyed }, ctx: Ctx) => {
      const r = await new AccountService(ctx).resetPassword(args.input.id, args.input.newPassword);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    }),
    // Keyed: a retry would be told CURRENT_PASSWORD_INCORRECT (and count as a failed attempt).
    changeMyPassword: idempotent({ ok: false }, async (args: { input: { currentPassword: string; newPassword: string } & Keyed }, ctx: Ctx) => {
      const r = await new AccountService(ctx).changeOwnPassword(args.input.currentPassword, args.input.newPassword);
      return r.ok ? { ok: true, userErrors: [] as unknown[] } : failed({ ok: false }, r.userErrors);
    }),
  },
};
