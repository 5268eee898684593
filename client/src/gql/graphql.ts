/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Billing permission (ご請求情報). */
export type BillingLevel =
  /** Also hold lines, save and confirm (更新). */
  | 'UPDATE'
  /** See invoices (閲覧). */
  | 'VIEW';

/** Cancellation permission (解約届け). */
export type CancellationLevel =
  /** No access (なし). */
  | 'NONE'
  /** Also file, change and withdraw (申請). */
  | 'REQUEST'
  /** Search cancellations and read settlement statements (閲覧). */
  | 'VIEW';

/** Login credentials. ログイン情報 */
export type LoginInput = {
  /** Login ID (ログインID), case-insensitive. */
  loginId: string;
  /** Password (パスワード). */
  password: string;
};

/** Residents permission (入居者変更). */
export type ResidentsLevel =
  /** No access (なし). */
  | 'NONE'
  /** Register, change and see residents; assign smartlock recipients (利用). */
  | 'USE';

/** A level with view and use (Smartlock受取者登録, 火災保険情報). */
export type ViewUseLevel =
  /** No access (なし). */
  | 'NONE'
  /** Also create, change and delete (利用). */
  | 'USE'
  /** Search and read (閲覧). */
  | 'VIEW';

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { token: string | null, expiresAt: string | null, userErrors: Array<{ code: string, field: string | null, message: string, messageJa: string }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { scopes: Array<string>, account: { id: string, loginId: string, name: string, isAdmin: boolean }, member: { memberNumber: string, name: string }, permissions: { billing: BillingLevel, cancellation: CancellationLevel, residents: ResidentsLevel, smartlock: ViewUseLevel, fireInsurance: ViewUseLevel, accessRestriction: boolean, admin: boolean } } };


export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"messageJa"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"loginId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"isAdmin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"member"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memberNumber"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"billing"}},{"kind":"Field","name":{"kind":"Name","value":"cancellation"}},{"kind":"Field","name":{"kind":"Name","value":"residents"}},{"kind":"Field","name":{"kind":"Name","value":"smartlock"}},{"kind":"Field","name":{"kind":"Name","value":"fireInsurance"}},{"kind":"Field","name":{"kind":"Name","value":"accessRestriction"}},{"kind":"Field","name":{"kind":"Name","value":"admin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;