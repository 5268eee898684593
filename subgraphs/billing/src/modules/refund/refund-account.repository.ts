import type { EntityManager } from '@mikro-orm/postgresql';
import { RefundAccount, type IRefundAccount } from './refund.entity.ts';
import { maskAccountNumber } from './rules/refund-account.rule.ts';

/** An account as clients see it: the number masked, never in clear. */
export interface MaskedAccount extends Omit<IRefundAccount, 'accountNumber'> {
  accountNumberMasked: string;
}

/** The member's accounts (member filter), bulk first; the lazy number is loaded only to be masked here. */
export async function maskedAccounts(em: EntityManager): Promise<MaskedAccount[]> {
  const rows = await em.find(RefundAccount, {}, { populate: ['accountNumber'], orderBy: { roomId: 'asc nulls first' } });
  return rows.map((row) => {
    const { accountNumber, ...rest } = row;
    return { ...rest, accountNumberMasked: maskAccountNumber(accountNumber) } as MaskedAccount;
  });
}
