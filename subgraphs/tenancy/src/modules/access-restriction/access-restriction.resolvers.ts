import { AccessRestrictionService, resetAllowList, type AllowListResult } from './access-restriction.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

const payload = (r: AllowListResult) => (r.ok ? { entry: r.entry, allowList: r.allowList, userErrors: [] } : { entry: null, allowList: null, userErrors: r.userErrors });

export const accessRestrictionResolvers: Resolvers = {
  Query: {
    ipAllowList: (_, __, ctx) => new AccessRestrictionService(ctx).list(),
    myCurrentAddress: (_, __, ctx) => new AccessRestrictionService(ctx).myAddress(),
  },
  Mutation: {
    addIpAllowEntry: async (_, args, ctx) => payload(await new AccessRestrictionService(ctx).add(args.input)),
    updateIpAllowEntry: async (_, args, ctx) => payload(await new AccessRestrictionService(ctx).update(args.input)),
    deleteIpAllowEntry: async (_, args, ctx) => payload(await new AccessRestrictionService(ctx).delete(args.input)),
    async resetMemberIpAllowList(_, args, ctx) {
      const r = await resetAllowList(ctx.em, ctx, args.input.memberNumber.trim(), { reason: args.input.reason ?? null });
      return r.ok ? { removedAddresses: r.removed, userErrors: [] } : { removedAddresses: null, userErrors: r.userErrors };
    },
  },
  IpAllowEntry: {
    address: (e) => e.cidr,
    includesMyAddress: (e, _, ctx) => new AccessRestrictionService(ctx).includesCaller(e),
  },
};
