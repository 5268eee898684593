import { idempotent, type UserError } from '@portal/subgraph-kit';
import { AccountService } from './account.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const failed = <T extends object>(empty: T, userErrors: UserError[]) => ({ ...empty, userErrors });

export const accountResolvers: Resolvers = {
  Query: {
    accounts: (_, __, ctx) => new AccountService(ctx).list(),
    account: (_, args, ctx) => new AccountService(ctx).byId(args.id),
  },
  Mutation: {
    // Keyed: a retry would otherwise be refused (LOGIN_ID_TAKEN) and the generated password lost.
    createAccount: idempotent({ account: null, generatedPassword: null }, async (args, ctx) => {
      const r = await new AccountService(ctx).create(args.input);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    }),
    async updateAccount(_, args, ctx) {
      const r = await new AccountService(ctx).update(args.input);
      return r.ok ? { account: r.account, userErrors: [] } : failed({ account: null }, r.userErrors);
    },
    async deleteAccount(_, args, ctx) {
      const r = await new AccountService(ctx).delete(args.input.id);
      return r.ok ? { deletedAccountId: r.deletedAccountId, userErrors: [] } : failed({ deletedAccountId: null }, r.userErrors);
    },
    // Keyed: a retried reset would rotate the password again and lose the first one.
    resetAccountPassword: idempotent({ account: null, generatedPassword: null }, async (args, ctx) => {
      const r = await new AccountService(ctx).resetPassword(args.input.id, args.input.newPassword);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    }),
    // Keyed: a retry would be told CURRENT_PASSWORD_INCORRECT (and count as a failed attempt).
    changeMyPassword: idempotent({ ok: false }, async (args, ctx) => {
      const r = await new AccountService(ctx).changeOwnPassword(args.input.currentPassword, args.input.newPassword);
      return r.ok ? { ok: true, userErrors: [] as UserError[] } : failed({ ok: false }, r.userErrors);
    }),
  },
};
