import type { SubgraphContext } from '@portal/subgraph-kit';
import { AccountService } from './account.service.ts';

type Ctx = SubgraphContext;
const failed = <T extends object>(empty: T, userErrors: unknown[]) => ({ ...empty, userErrors });

export const accountResolvers = {
  Query: {
    accounts: (_: unknown, __: unknown, ctx: Ctx) => new AccountService(ctx).list(),
    account: (_: unknown, args: { id: string }, ctx: Ctx) => new AccountService(ctx).byId(args.id),
  },
  Mutation: {
    async createAccount(_: unknown, args: { input: unknown }, ctx: Ctx) {
      const r = await new AccountService(ctx).create(args.input);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    },
    async updateAccount(_: unknown, args: { input: unknown }, ctx: Ctx) {
      const r = await new AccountService(ctx).update(args.input);
      return r.ok ? { account: r.account, userErrors: [] } : failed({ account: null }, r.userErrors);
    },
    async deleteAccount(_: unknown, args: { input: { id: string } }, ctx: Ctx) {
      const r = await new AccountService(ctx).delete(args.input.id);
      return r.ok ? { deletedAccountId: r.deletedAccountId, userErrors: [] } : failed({ deletedAccountId: null }, r.userErrors);
    },
    async resetAccountPassword(_: unknown, args: { input: { id: string; newPassword?: string | null } }, ctx: Ctx) {
      const r = await new AccountService(ctx).resetPassword(args.input.id, args.input.newPassword);
      return r.ok ? { account: r.account, generatedPassword: r.generatedPassword, userErrors: [] } : failed({ account: null, generatedPassword: null }, r.userErrors);
    },
    async changeMyPassword(_: unknown, args: { input: { currentPassword: string; newPassword: string } }, ctx: Ctx) {
      const r = await new AccountService(ctx).changeOwnPassword(args.input.currentPassword, args.input.newPassword);
      return r.ok ? { ok: true, userErrors: [] } : failed({ ok: false }, r.userErrors);
    },
  },
};
