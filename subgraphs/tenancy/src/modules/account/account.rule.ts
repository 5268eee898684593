/**
 * Account rules (担当者情報の変更と権限設定), free of GraphQL and the ORM.
 * - The first account of a member is its administrator (管理者 = 最初に作成されたアカウント).
 * - The last account cannot be deleted (登録が1名のみの場合は削除できません).
 * - No change may leave a member that has an administrator without one.
 */
export interface AccountAdminState {
  id: string;
  isAdmin: boolean;
}

export type AccountChange = { kind: 'delete'; id: string } | { kind: 'set-admin'; id: string; isAdmin: boolean };
export type AccountRuleViolation = 'LAST_ACCOUNT' | 'LAST_ADMINISTRATOR';

/** Whether a new account must be the administrator, whatever was asked. */
export function mustBeAdministrator(existingAccounts: number): boolean {
  return existingAccounts === 0;
}

/** The violation a change of the member's accounts would cause, or null. */
export function accountChangeViolation(accounts: readonly AccountAdminState[], change: AccountChange): AccountRuleViolation | null {
  if (change.kind === 'delete' && accounts.length <= 1) return 'LAST_ACCOUNT';
  const after =
    change.kind === 'delete'
      ? accounts.filter((a) => a.id !== change.id)
      : accounts.map((a) => (a.id === change.id ? { ...a, isAdmin: change.isAdmin } : a));
  const adminsBefore = accounts.filter((a) => a.isAdmin).length;
  const adminsAfter = after.filter((a) => a.isAdmin).length;
  // A member that somehow has no administrator can still be repaired: only losing the last one is refused.
  if (adminsBefore > 0 && adminsAfter === 0) return 'LAST_ADMINISTRATOR';
  return null;
}

/**
 * Login IDs (ログインID): 3 to 64 characters, half-width letters, digits and `. _ @ + -`, starting
 * with a letter or digit (e-mail addresses fit, as in the manual's example). Full-width input is
 * folded to half-width (NFKC) and the ID is case-insensitive (stored in lower case).
 */
export const LOGIN_ID_PATTERN = /^[a-z0-9][a-z0-9._@+-]{2,63}$/;

export function normalizeLoginId(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function isValidLoginId(normalized: string): boolean {
  return LOGIN_ID_PATTERN.test(normalized);
}

/** Account names (担当者名): 1 to 30 characters after trimming. */
export const NAME_MAX_LENGTH = 30;
