import type { SubgraphContext } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import type { IAccount } from './account.entity.ts';
import { IdentityService, permissionsOf } from './identity.service.ts';

type Ctx = SubgraphContext<TenancyLoaders>;

export const identityResolvers = {
  Query: {
    async me(_: unknown, __: unknown, ctx: Ctx) {
      const service = new IdentityService(ctx.em, ctx.clock);
      const account = await service.currentAccount(ctx.identity);
      return { account, scopes: service.scopesOf(account) };
    },
  },
  Mutation: {
    async login(_: unknown, args: { input: { loginId: string; password: string } }, ctx: Ctx) {
      const result = await new IdentityService(ctx.em, ctx.clock).login(args.input.loginId, args.input.password, ctx);
      return result.ok ? { token: result.token, expiresAt: result.expiresAt, userErrors: [] } : { token: null, expiresAt: null, userErrors: result.userErrors };
    },
    async logout(_: unknown, __: unknown, ctx: Ctx) {
      await new IdentityService(ctx.em, ctx.clock).logout(ctx);
      return { ok: true };
    },
  },
  Me: {
    member: (me: { account: IAccount }, _: unknown, ctx: Ctx) => ctx.loaders.member.load(me.account.memberId),
    permissions: (me: { account: IAccount }) => permissionsOf(me.account),
  },
  Account: {
    permissions: (a: IAccount) => permissionsOf(a),
  },
  Permissions: {
    accessRestriction: (p: { admin: boolean }) => p.admin,
    billing: (p: { admin: boolean; billing: string }) => (p.admin ? 'UPDATE' : p.billing),
    cancellation: (p: { admin: boolean; cancellation: string }) => (p.admin ? 'REQUEST' : p.cancellation),
    residents: (p: { admin: boolean; residents: string }) => (p.admin ? 'USE' : p.residents),
    smartlock: (p: { admin: boolean; smartlock: string }) => (p.admin ? 'USE' : p.smartlock),
    fireInsurance: (p: { admin: boolean; fireInsurance: string }) => (p.admin ? 'USE' : p.fireInsurance),
  },
};
