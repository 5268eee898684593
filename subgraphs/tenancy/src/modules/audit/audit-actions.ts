import type { AuditSource } from '@portal/events';
/**
 * Every action the audit trail records, with its label in both languages (CSV export, clients).
 * One list: the PostgreSQL enum `tenancy.audit_action`, this constant and the GraphQL enum
 * `AuditAction` must name the same values (a test compares them).
 */
export const AUDIT_ACTION_LABELS = {
  LOGIN_SUCCEEDED: { en: 'Login', ja: 'ログイン' },
  LOGIN_FAILED: { en: 'Failed login', ja: 'ログイン失敗' },
  LOGOUT: { en: 'Logout', ja: 'ログアウト' },
  ACCOUNT_CREATED: { en: 'Account created', ja: '担当者登録' },
  ACCOUNT_UPDATED: { en: 'Account changed', ja: '担当者情報変更' },
  ACCOUNT_DELETED: { en: 'Account deleted', ja: '担当者削除' },
  PERMISSIONS_CHANGED: { en: 'Permissions changed', ja: '権限変更' },
  PASSWORD_CHANGED: { en: 'Password changed', ja: 'パスワード変更' },
  PASSWORD_RESET: { en: 'Password reset by an administrator', ja: 'パスワード再設定（管理者）' },
  ALLOW_LIST_ENTRY_ADDED: { en: 'Allowed IP address added', ja: 'IPアドレス登録' },
  ALLOW_LIST_ENTRY_UPDATED: { en: 'Allowed IP address changed', ja: 'IPアドレス編集' },
  ALLOW_LIST_ENTRY_DELETED: { en: 'Allowed IP address deleted', ja: 'IPアドレス削除' },
  ALLOW_LIST_RESET: { en: 'IP access restriction reset by the operator', ja: 'IPアドレス制限リセット（弊社）' },
  MEMBER_INFO_UPDATED: { en: 'Member information changed', ja: '法人会員情報変更' },
  AUDIT_EXPORTED: { en: 'Audit trail exported', ja: '操作履歴ダウンロード' },
  CANCELLATION_FILED: { en: 'Cancellation filed', ja: '解約申し入れ' },
  CANCELLATION_APPROVED: { en: 'Cancellation approved', ja: '解約申し入れ承認' },
  CANCELLATION_DENIED: { en: 'Cancellation denied', ja: '解約申し入れ否認' },
  CANCELLATION_DATE_CHANGE_REQUESTED: { en: 'Cancellation date change entered', ja: '中途解約日変更' },
  CANCELLATION_WITHDRAWAL_REQUESTED: { en: 'Cancellation withdrawal entered', ja: '解約申し入れ取り消し' },
  CANCELLATION_CHANGE_DECIDED: { en: 'Change/withdrawal decided after 8:00', ja: '中途解約日変更（取消）結果' },
  CANCELLATION_NEXT_LEASE_MARKED: { en: 'Next lease marked decided by the operator', ja: '次契約決定（弊社）' },
  CANCELLATION_MOVED_OUT: { en: 'Move-out recorded by the operator', ja: '退去登録（弊社）' },
  SETTLEMENT_STATEMENT_PUBLISHED: { en: 'Settlement statement published', ja: '解約清算明細書アップロード（弊社）' },
  SETTLEMENT_STATEMENTS_DOWNLOADED: { en: 'Settlement statements downloaded', ja: '解約清算明細書ダウンロード' },
  // Billing's entries, received as `audit.recorded` events (audit-ingest.ts); labels as billing's BILLING_AUDIT_ACTIONS.
  INVOICE_HOLDS_SAVED: { en: 'Invoice holds saved', ja: '請求明細 保留の保存' },
  INVOICE_CONFIRMED: { en: 'Invoice confirmed', ja: '請求明細 確定' },
  INVOICES_IMPORTED: { en: 'Invoice published by the operator', ja: '請求明細アップロード（弊社）' },
  TIMESTAMP_RESERVED: { en: 'Time stamp reserved', ja: 'タイムスタンプ付与予約' },
  TIMESTAMP_CANCELLED: { en: 'Time stamp reservation cancelled', ja: 'タイムスタンプ付与予約キャンセル' },
  REFUND_ACCOUNT_SAVED: { en: 'Refund account registered or changed', ja: '返金口座登録・変更' },
  REFUND_ACCOUNT_DELETED: { en: 'Refund account deleted', ja: '返金口座削除' },
  // Uses of download links, tenancy's own and billing's (received as `audit.recorded`).
  FILE_DOWNLOADED: { en: 'File downloaded', ja: 'ファイルダウンロード' },
  FILE_DOWNLOAD_REFUSED: { en: 'File download refused', ja: 'ファイルダウンロード拒否' },
} as const satisfies Record<string, { en: string; ja: string }>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];

/**
 * The actions each other subgraph may put into the trail through `audit.recorded` events: a source
 * can never write another's actions (billing cannot record a login).
 */
export const EXTERNAL_AUDIT_ACTIONS = {
  billing: ['INVOICE_HOLDS_SAVED', 'INVOICE_CONFIRMED', 'INVOICES_IMPORTED', 'TIMESTAMP_RESERVED', 'TIMESTAMP_CANCELLED', 'REFUND_ACCOUNT_SAVED', 'REFUND_ACCOUNT_DELETED', 'FILE_DOWNLOADED', 'FILE_DOWNLOAD_REFUSED'],
} as const satisfies Record<AuditSource, readonly AuditAction[]>;

/** Who acted: an account of the member, the leasing company's back office, or nobody logged in. */
export type AuditActorType = 'ACCOUNT' | 'OPERATOR' | 'ANONYMOUS';
