import { existing } from '@portal/subgraph-kit';
import { IdentityService, permissionsOf } from './identity.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const identityResolvers: Resolvers = {
  Query: {
    async me(_, __, ctx) {
      const service = new IdentityService(ctx.em, ctx.clock);
      const account = await service.currentAccount(ctx.identity);
      return { account, scopes: service.scopesOf(account) };
    },
  },
  Mutation: {
    async login(_, args, ctx) {
      const result = await new IdentityService(ctx.em, ctx.clock).login(args.input.loginId, args.input.password, ctx);
      return result.ok ? { token: result.token, expiresAt: result.expiresAt, userErrors: [] } : { token: null, expiresAt: null, userErrors: result.userErrors };
    },
    async logout(_, __, ctx) {
      await new IdentityService(ctx.em, ctx.clock).logout(ctx);
      return { ok: true };
    },
  },
  Me: {
    member: async (me, _, ctx) => existing(await ctx.loaders.member.load(me.account.memberId), `member of account ${me.account.id}`),
    permissions: (me) => permissionsOf(me.account),
  },
  Account: {
    permissions: (a) => permissionsOf(a),
  },
  Permissions: {
    accessRestriction: (p) => p.admin,
    billing: (p) => (p.admin ? 'UPDATE' : p.billing),
    cancellation: (p) => (p.admin ? 'REQUEST' : p.cancellation),
    residents: (p) => (p.admin ? 'USE' : p.residents),
    smartlock: (p) => (p.admin ? 'USE' : p.smartlock),
    fireInsurance: (p) => (p.admin ? 'USE' : p.fireInsurance),
  },
};
