/**
 * Notification mails of the approval flow (解約承認機能 各種通知メール): on a request that needs
 * approval, on each approval (the last one says it was submitted) and on a denial. Plain text in
 * Japanese with the English line under it; recipients are the member's accounts that opted in.
 */
import type { MailInput } from '@portal/platform';
import { CANCELLATION_REASONS, type CancellationReason } from './cancellation-input.ts';

export interface MailFacts {
  apNo: string;
  propertyName: string;
  roomNumber: string;
  cancellationDate: string;
  reasons: string[];
  requestedByName: string;
  approvalsRequired: number;
  approvalsGiven: number;
}

export type MailKind = 'REQUESTED' | 'APPROVED' | 'SUBMITTED' | 'DENIED';

const SUBJECTS: Record<MailKind, string> = {
  REQUESTED: '【法人WEBシステム】解約申し入れの承認依頼 / Cancellation awaiting your approval',
  APPROVED: '【法人WEBシステム】解約申し入れが承認されました / Cancellation approved',
  SUBMITTED: '【法人WEBシステム】解約申し入れが完了しました / Cancellation submitted',
  DENIED: '【法人WEBシステム】解約申し入れが否認されました / Cancellation denied',
};

export function cancellationMail(kind: MailKind, to: string, facts: MailFacts, extra: { actorName?: string; reason?: string } = {}): MailInput {
  const reasons = facts.reasons.map((r) => CANCELLATION_REASONS[r as CancellationReason]?.ja ?? r).join('、');
  const lead: Record<MailKind, string> = {
    REQUESTED: `${facts.requestedByName} 様より、以下のお部屋の中途解約（退室）申し入れについて承認依頼がありました。法人WEBシステムの【解約申入 解約清算明細】よりご確認ください。\nA cancellation needs your approval.`,
    APPROVED: `${extra.actorName ?? ''} 様が以下の中途解約申し入れを承認しました（承認 ${facts.approvalsGiven}/${facts.approvalsRequired} 名）。\nThe cancellation was approved (${facts.approvalsGiven} of ${facts.approvalsRequired}).`,
    SUBMITTED: `必要な承認がそろい、以下のお部屋の中途解約申し入れが完了しました。翌日から次の入居者様の募集が始まります。\nAll approvals are in; the cancellation was submitted.`,
    DENIED: `${extra.actorName ?? ''} 様が以下の中途解約申し入れを否認しました。\n否認理由: ${extra.reason ?? ''}\nThe cancellation was denied.`,
  };
  const text = [
    lead[kind],
    '',
    `物件 (APNo ${facts.apNo}): ${facts.propertyName} ${facts.roomNumber}号室`,
    `中途解約日: ${facts.cancellationDate.replaceAll('-', '/')}`,
    `解約理由: ${reasons}`,
    `解約申し入者: ${facts.requestedByName}`,
    `承認人数: ${facts.approvalsRequired}名`,
    '',
    '※本メールは送信専用です。 This mail is sent automatically.',
  ].join('\n');
  return { to, subject: SUBJECTS[kind], text };
}
