import { describe, expect, it } from 'vitest';
import { buildSchema, validateSchema } from 'graphql';
import { buildRequirementIndex, type Identity } from '@portal/auth';
import { buildSchemaViews, suggestionFilter } from '../src/introspection.ts';

const SDL = `
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    invoices: [Invoice!]! @requiresScopes(scopes: [["billing:view"]])
    operatorInvoices: [OperatorInvoice!]! @requiresScopes(scopes: [["operator"]])
    backOffice: Report @requiresScopes(scopes: [["operator:billing"]])
    either: Report @requiresScopes(scopes: [["operator"], ["admin"]])
  }
  type Mutation { resetMember(id: ID!): Boolean @requiresScopes(scopes: [["operator"]]) login: Boolean }
  type Invoice { id: ID! total: Int }
  type OperatorInvoice { id: ID! memberId: ID! }
  type Report { id: ID! }
`;
const schema = buildSchema(SDL);
const index = buildRequirementIndex(SDL);
const identity = (kind: Identity['kind']): Identity => ({ kind, accountId: null, memberId: null, sessionId: null, scopes: new Set(), clientIp: '127.0.0.1', requestId: 'r' });

describe('buildSchemaViews', () => {
  const views = buildSchemaViews(schema, index);

  it('drops operator-only fields and the types only they reach; keeps fields another role may use', () => {
    expect(validateSchema(views.memberSchema)).toEqual([]);
    expect(Object.keys(views.memberSchema.getQueryType()!.getFields())).toEqual(['invoices', 'either']);
    expect(Object.keys(views.memberSchema.getMutationType()!.getFields())).toEqual(['login']);
    expect(views.memberSchema.getType('OperatorInvoice')).toBeUndefined();
    expect(views.memberSchema.getType('Report')).toBeDefined();
  });

  it('hides the dropped names, except those a member sees elsewhere', () => {
    expect([...views.hiddenFromMembers].sort()).toEqual(['OperatorInvoice', 'backOffice', 'memberId', 'operatorInvoices', 'resetMember']);
  });
});

describe('suggestionFilter', () => {
  const views = buildSchemaViews(schema, index);
  it.each([
    ['anonymous', 'invoices', false],
    ['member', 'invoices', true],
    ['member', 'operatorInvoices', false],
    ['operator', 'operatorInvoices', true],
  ] as const)('%s may read "%s": %s', (kind, name, visible) => {
    expect(suggestionFilter(identity(kind), views)(name)).toBe(visible);
  });

  it('fails closed for a member before the member view exists', () => {
    expect(suggestionFilter(identity('member'), undefined)('invoices')).toBe(false);
  });
});
