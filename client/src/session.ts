import type { Client } from '@urql/core';
import { graphql } from './gql/index.ts';

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      userErrors { code field message messageJa }
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      account { id loginId name isAdmin }
      member { memberNumber name }
      permissions { billing cancellation residents smartlock fireInsurance accessRestriction admin }
      scopes
    }
  }
`);

/** Logs in; returns the token, or the user errors (always INVALID_CREDENTIALS for bad credentials). */
export async function login(client: Client, loginId: string, password: string) {
  const result = await client.mutation(LoginMutation, { input: { loginId, password } }).toPromise();
  if (result.error) throw result.error;
  return result.data!.login;
}

/** The logged-in account with its permissions, so an app can hide the menus it may not use. */
export async function fetchMe(client: Client) {
  const result = await client.query(MeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
  if (result.error) throw result.error;
  return result.data!.me;
}
