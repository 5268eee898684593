import { OperatorService } from './operator.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const operatorResolvers: Resolvers = {
  Query: {
    operatorMe: (_, __, ctx) => new OperatorService(ctx.em, ctx.clock).current(ctx.identity),
  },
  Mutation: {
    async operatorLogin(_, args, ctx) {
      const result = await new OperatorService(ctx.em, ctx.clock).login(args.input.loginId, args.input.password, ctx.identity.clientIp);
      return result.ok ? { token: result.token, expiresAt: result.expiresAt, userErrors: [] } : { token: null, expiresAt: null, userErrors: result.userErrors };
    },
  },
};
