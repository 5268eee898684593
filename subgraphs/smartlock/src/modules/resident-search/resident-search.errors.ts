import { GraphQLError } from 'graphql';

/**
 * Errors of the resident search, all raised as GraphQL errors (a query has no payload for user
 * errors): BAD_USER_INPUT for a page size or cursor that is not valid, FORBIDDEN for a condition
 * on residents without residents USE (the same shape as the gateway's refusals).
 */
export const ResidentSearchErrorCode = { BadUserInput: 'BAD_USER_INPUT', Forbidden: 'FORBIDDEN' } as const;

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ResidentSearchErrorCode.BadUserInput, field } });
}

export function residentConditionsForbidden(fields: readonly string[]): GraphQLError {
  return new GraphQLError(`Searching by ${fields.join(', ')} needs residents USE (入居者変更). 入居者での検索には「入居者変更」の権限が必要です。`, {
    extensions: {
      code: ResidentSearchErrorCode.Forbidden,
      forbidden: fields.map((field) => ({ path: ['residentSearch', 'filter', field], missingScopes: [['residents:use']], rule: 'argument' })),
    },
  });
}
