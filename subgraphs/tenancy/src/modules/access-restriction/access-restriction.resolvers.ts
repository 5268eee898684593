import type { SubgraphContext } from '@portal/subgraph-kit';
import type { IIpAllowEntry } from '../identity/ip-allow-entry.entity.ts';
import { AccessRestrictionService, resetAllowList, type AllowListResult } from './access-restriction.service.ts';

type Ctx = SubgraphContext;
const payload = (r: AllowListResult) => (r.ok ? { entry: r.entry, allowList: r.allowList, userErrors: [] } : { entry: null, allowList: null, userErrors: r.userErrors });

export const accessRestrictionResolvers = {
  Query: {
    ipAllowList: (_: unknown, __: unknown, ctx: Ctx) => new AccessRestrictionService(ctx).list(),
    myCurrentAddress: (_: unknown, __: unknown, ctx: Ctx) => new AccessRestrictionService(ctx).myAddress(),
  },
  Mutation: {
    addIpAllowEntry: async (_: unknown, args: { input: unknown }, ctx: Ctx) => payload(await new AccessRestrictionService(ctx).add(args.input)),
    updateIpAllowEntry: async (_: unknown, args: { input: unknown }, ctx: Ctx) => payload(await new AccessRestrictionService(ctx).update(args.input)),
    deleteIpAllowEntry: async (_: unknown, args: { input: unknown }, ctx: Ctx) => payload(await new AccessRestrictionService(ctx).delete(args.input)),
    async resetMemberIpAllowList(_: unknown, args: { input: { memberNumber: string; reason?: string | null } }, ctx: Ctx) {
      const r = await resetAllowList(ctx.em, ctx, args.input.memberNumber.trim(), { reason: args.input.reason ?? null });
      return r.ok ? { removedAddresses: r.removed, userErrors: [] } : { removedAddresses: null, userErrors: r.userErrors };
    },
  },
  IpAllowEntry: {
    address: (e: IIpAllowEntry) => e.cidr,
    includesMyAddress: (e: IIpAllowEntry, _: unknown, ctx: Ctx) => new AccessRestrictionService(ctx).includesCaller(e),
  },
};
