import { stringify } from 'csv-stringify/sync';
import { JST_TIME_ZONE } from '@portal/platform';
import { AUDIT_ACTION_LABELS, type AuditAction } from './audit-actions.ts';
import type { IAuditEvent } from './audit-event.entity.ts';

const ACTOR_LABELS: Record<string, string> = { ACCOUNT: '担当者', OPERATOR: '弊社オペレーター', ANONYMOUS: '未ログイン' };

const jst = new Intl.DateTimeFormat('sv-SE', { timeZone: JST_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** Excel runs cells that start with these as formulas; a user-typed value must stay text. */
function cell(value: string | null | undefined): string {
  const text = value ?? '';
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const AUDIT_CSV_HEADER = ['日時', '操作', '操作コード', '実行者種別', 'ログインID', '担当者ID', 'IPアドレス', '対象種別', '対象ID', '対象', '変更内容', 'リクエストID'];

/**
 * The audit trail as CSV for Excel: UTF-8 with a BOM (Excel then reads Japanese correctly), CRLF
 * line ends, times in Japan time, a header row in Japanese. Built with csv-stringify (quoting).
 */
export function auditCsv(rows: readonly IAuditEvent[]): Buffer {
  const records = rows.map((e) => [
    jst.format(e.at),
    AUDIT_ACTION_LABELS[e.action as AuditAction]?.ja ?? e.action,
    e.action,
    ACTOR_LABELS[e.actorType] ?? e.actorType,
    cell(e.loginId),
    e.accountId ?? '',
    e.clientIp ?? '',
    e.targetType ?? '',
    e.targetId ?? '',
    cell(e.targetLabel),
    cell(Object.keys(e.details ?? {}).length ? JSON.stringify(e.details) : ''),
    e.requestId ?? '',
  ]);
  return Buffer.from(stringify([AUDIT_CSV_HEADER, ...records], { bom: true, record_delimiter: 'windows' }), 'utf8');
}
