import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { renderPdf, formatJstDate, formatYen, ISSUER } from '@portal/documents';
import { jstDateOf } from '@portal/platform';
import type { SubgraphContext, UserError } from '@portal/subgraph-kit';
import type { BillingLoaders } from '../../loaders.ts';
import { isUuid } from '../invoice/invoice.repository.ts';
import { toDateString } from '../hold/hold.service.ts';
import { appendAudit } from '../audit/audit-outbox.ts';
import { DocumentService, type DocumentLink } from '../document/document.service.ts';
import { documentErrors } from '../document/document.errors.ts';
import { Refund, RefundAccount, RefundLine, type IRefund, type IRefundLine } from './refund.entity.ts';
import { refundErrors } from './refund.errors.ts';
import { MemberRef } from '../member-ref/member-ref.entity.ts';
import { refundAddressee } from './rules/refund-addressee.rule.ts';
import { lookupBranch, maskAccountNumber, normaliseAccountNumber, normaliseHolderKana, type ZenginBank } from './rules/refund-account.rule.ts';

type Ctx = SubgraphContext<BillingLoaders>;
/** Zengin bank and branch codes (npm `zengin-code`: offline data, updated monthly upstream; a CommonJS data module without typings). */
const ZENGIN = createRequire(import.meta.url)('zengin-code') as Record<string, ZenginBank>;

export interface SaveRefundAccountInput {
  roomId?: string | null;
  bankCode: string;
  branchCode: string;
  accountType: 'ORDINARY' | 'CURRENT';
  accountNumber: string;
  holderKana: string;
  holderName: string;
}

import { maskedAccounts, type MaskedAccount } from './refund-account.repository.ts';
export type { MaskedAccount };

const ACCOUNT_TYPE_JA = { ORDINARY: '普通', CURRENT: '当座' } as const;

/**
 * Refund statements (返金明細) as the member sees them — visible from their publish date, 2 business days
 * before the refund date — and refund accounts (返金口座確認), validated against the Zengin data.
 */
export class RefundService {
  constructor(private readonly ctx: Ctx) {}
  private get today() {
    return jstDateOf(this.ctx.clock.now());
  }

  list(first: number): Promise<IRefund[]> {
    return this.ctx.em.find(Refund, { publishDate: { $lte: this.today } }, { orderBy: { refundMonth: 'desc' }, limit: first });
  }
  byId(id: string): Promise<IRefund | null> {
    return isUuid(id) ? this.ctx.em.findOne(Refund, { id, publishDate: { $lte: this.today } }) : Promise.resolve(null);
  }
  current(): Promise<IRefund | null> {
    return this.ctx.em.findOne(Refund, { refundMonth: this.today.slice(0, 7), publishDate: { $lte: this.today } });
  }

  /** Accounts with the number masked; the number is read (lazily) only to mask it. */
  accounts(): Promise<MaskedAccount[]> {
    return maskedAccounts(this.ctx.em);
  }

  async save(input: SaveRefundAccountInput): Promise<{ account: MaskedAccount | null; userErrors: UserError[] }> {
    const errors: UserError[] = [];
    const branch = lookupBranch(ZENGIN, input.bankCode.trim(), input.branchCode.trim());
    if ('unknown' in branch) errors.push(branch.unknown === 'bank' ? refundErrors.unknownBank() : refundErrors.unknownBranch());
    const number = normaliseAccountNumber(input.accountNumber);
    if (!number) errors.push(refundErrors.accountNumber());
    const kana = normaliseHolderKana(input.holderKana);
    if (!kana) errors.push(refundErrors.holderKana());
    const holderName = input.holderName.trim();
    if (!holderName || holderName.length > 60) errors.push(refundErrors.holderName());
    const roomId = input.roomId ?? null;
    if (roomId && !(await this.knowsRoom(roomId))) errors.push(refundErrors.roomNotFound());
    if (errors.length || 'unknown' in branch) return { account: null, userErrors: errors };

    return this.ctx.em.transactional(async (em) => {
      const memberId = this.ctx.identity.memberId!;
      const existing = await em.findOne(RefundAccount, { roomId });
      const values = {
        bankCode: input.bankCode.trim(), bankName: branch.bankName, branchCode: input.branchCode.trim(), branchName: branch.branchName, accountType: input.accountType,
        accountNumber: number!, holderKana: kana!, holderName, updatedAt: this.ctx.clock.now(), updatedByAccountId: this.ctx.identity.accountId,
      };
      const account = existing ? em.assign(existing, values) : em.create(RefundAccount, { id: randomUUID(), memberId, roomId, ...values });
      await em.flush();
      await appendAudit(em, this.ctx, {
        action: 'REFUND_ACCOUNT_SAVED',
        target: { type: 'RefundAccount', id: account.id, label: roomId ? `room ${roomId}` : '一括返金口座' },
        details: { roomId, bank: `${values.bankCode} ${values.bankName}`, branch: `${values.branchCode} ${values.branchName}`, accountType: values.accountType, accountNumberMasked: maskAccountNumber(number!), holderKana: kana },
      });
      const { accountNumber, ...rest } = account;
      return { account: { ...rest, accountNumberMasked: maskAccountNumber(accountNumber) } as MaskedAccount, userErrors: [] };
    });
  }

  async remove(roomId: string | null): Promise<{ deleted: boolean; userErrors: UserError[] }> {
    return this.ctx.em.transactional(async (em) => {
      const account = roomId && !isUuid(roomId) ? null : await em.findOne(RefundAccount, { roomId });
      if (!account) return { deleted: false, userErrors: [refundErrors.accountNotFound()] };
      em.remove(account);
      await em.flush();
      await appendAudit(em, this.ctx, { action: 'REFUND_ACCOUNT_DELETED', target: { type: 'RefundAccount', id: account.id, label: roomId ? `room ${roomId}` : '一括返金口座' }, details: { roomId } });
      return { deleted: true, userErrors: [] };
    });
  }

  /** A room billing knows for this member: one on an invoice or a refund of theirs. */
  private async knowsRoom(roomId: string): Promise<boolean> {
    if (!isUuid(roomId)) return false;
    const [row] = await this.ctx.em.execute<{ ok: boolean }[]>(
      `select exists (select 1 from billing.invoice_line where member_id = ? and room_id = ?) or exists (select 1 from billing.refund_line where member_id = ? and room_id = ?) as ok`,
      [this.ctx.identity.memberId, roomId, this.ctx.identity.memberId, roomId],
    );
    return !!row?.ok;
  }

  /** The refund statement PDF (返金明細書); raises its print/download count. */
  async statement(refundId: string): Promise<DocumentLink> {
    const refund = await this.byId(refundId);
    if (!refund) return { url: null, filename: null, contentType: null, expiresAt: null, printCount: null, userErrors: [documentErrors.refundNotFound()] };
    const lines = await this.ctx.em.find(RefundLine, { refundId: refund.id }, { orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }] });
    const accounts = await this.accounts();
    // The addressee as 法人会員情報変更 has it now (billing.member_ref, from member.updated), not as at import.
    const memberRef = await this.ctx.em.findOne(MemberRef, { memberId: refund.memberId });
    const bulk = accounts.find((a) => a.roomId === null);
    const destination = bulk ? `${bulk.bankName} ${bulk.branchName} ${ACCOUNT_TYPE_JA[bulk.accountType]} ${bulk.accountNumberMasked}` : '返金口座未登録';
    const pdf = await renderPdf({
      title: '返金明細書',
      documentNumber: `R${refund.refundMonth.replace('-', '')}-${refund.id.slice(0, 8).toUpperCase()}`,
      issuedOn: toDateString(refund.publishDate),
      issuer: ISSUER,
      recipient: refundAddressee(memberRef, refund.recipientName ?? `会員番号 ${lines[0]?.memberNumber ?? ''}`),
      blocks: [
        { kind: 'keyValues', emphasis: true, rows: [['返金額', formatYen(refund.amount)], ['返金日', formatJstDate(toDateString(refund.refundDate))], ['振込先', destination]] },
        { kind: 'heading', text: `明細（${lines.length}件）` },
        {
          kind: 'table',
          columns: [{ header: 'APNo', width: 1 }, { header: '物件名', width: 3, wrap: true }, { header: '部屋', width: 0.8 }, { header: '会員番号', width: 1.2 }, { header: '返金方法', width: 1.1 }, { header: '返金金額', width: 1.3, align: 'right' }],
          rows: lines.map((l) => [l.apNo, l.propertyName, l.roomNumber, l.memberNumber, l.method === 'INDIVIDUAL' ? '個別返金' : '一括返金', formatYen(l.amount)]),
          totals: [['合計', formatYen(lines.reduce((s, l) => s + l.amount, 0))]],
        },
      ],
      footerNote: `${ISSUER.name}　法人WEBシステム`,
    });
    const [row] = await this.ctx.em.execute<{ print_count: number }[]>('update billing.refund set print_count = print_count + 1 where id = ? and member_id = ? returning print_count', [refund.id, refund.memberId]);
    return new DocumentService(this.ctx).publish(pdf, `refunds/${refund.memberId}/${refund.id}`, `返金明細書_${refund.refundMonth}.pdf`, 'application/pdf', row!.print_count);
  }
}

export type { IRefundLine };
