import type { SubgraphContext } from '@portal/subgraph-kit';
import type { TenancyLoaders } from '../../loaders.ts';
import { OperatorService } from './operator.service.ts';

type Ctx = SubgraphContext<TenancyLoaders>;

export const operatorResolvers = {
  Query: {
    operatorMe: (_: unknown, __: unknown, ctx: Ctx) => new OperatorService(ctx.em, ctx.clock).current(ctx.identity),
  },
  Mutation: {
    async operatorLogin(_: unknown, args: { input: { loginId: string; password: string } }, ctx: Ctx) {
      const result = await new OperatorService(ctx.em, ctx.clock).login(args.input.loginId, args.input.password, ctx.identity.clientIp);
      return result.ok ? { token: result.token, expiresAt: result.expiresAt, userErrors: [] } : { token: null, expiresAt: null, userErrors: result.userErrors };
    },
  },
};
