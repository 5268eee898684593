import { addresseeHonorific } from './member-info.rule.ts';
import { MemberService } from './member.service.ts';
import type { Resolvers } from '../../generated/resolvers-types.ts';

export const memberResolvers: Resolvers = {
  Query: {
    postalCodeLookup: (_, args, ctx) => new MemberService(ctx).lookupPostalCode(args.postalCode),
  },
  Mutation: {
    async updateMemberInfo(_, args, ctx) {
      const r = await new MemberService(ctx).update(args.input);
      return r.ok ? { member: r.member, adjustments: r.adjustments, userErrors: [] } : { member: null, adjustments: [], userErrors: r.userErrors };
    },
  },
  Member: {
    headOffice: (m) => ({ postalCode: m.headOfficePostalCode, address: m.headOfficeAddress }),
    mailingAddress: (m) =>
      m.mailingPostalCode || m.mailingCity ? { postalCode: m.mailingPostalCode, city: m.mailingCity, street: m.mailingStreet, building: m.mailingBuilding } : null,
    addressee: (m) => ({
      kind: m.addresseeKind,
      honorific: addresseeHonorific(m.addresseeKind),
      department: m.addresseeDepartment,
      contactName: m.addresseeContactName,
      contactKana: m.addresseeContactKana,
    }),
  },
};
