import type { SubgraphContext } from '@portal/subgraph-kit';
import type { IMember } from './member.entity.ts';
import { addresseeHonorific } from './member-info.rule.ts';
import { MemberService } from './member.service.ts';

type Ctx = SubgraphContext;

export const memberResolvers = {
  Query: {
    postalCodeLookup: (_: unknown, args: { postalCode: string }, ctx: Ctx) => new MemberService(ctx).lookupPostalCode(args.postalCode),
  },
  Mutation: {
    async updateMemberInfo(_: unknown, args: { input: unknown }, ctx: Ctx) {
      const r = await new MemberService(ctx).update(args.input);
      return r.ok ? { member: r.member, adjustments: r.adjustments, userErrors: [] } : { member: null, adjustments: [], userErrors: r.userErrors };
    },
  },
  Member: {
    headOffice: (m: IMember) => ({ postalCode: m.headOfficePostalCode, address: m.headOfficeAddress }),
    mailingAddress: (m: IMember) =>
      m.mailingPostalCode || m.mailingCity ? { postalCode: m.mailingPostalCode, city: m.mailingCity, street: m.mailingStreet, building: m.mailingBuilding } : null,
    addressee: (m: IMember) => ({
      kind: m.addresseeKind,
      honorific: addresseeHonorific(m.addresseeKind),
      department: m.addresseeDepartment,
      contactName: m.addresseeContactName,
      contactKana: m.addresseeContactKana,
    }),
  },
};
