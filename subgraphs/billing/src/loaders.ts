import type { SubgraphContext } from '@portal/subgraph-kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '@portal/auth';
import { InvoiceRepository, type InvoiceLineFilter, type LineCursor, type LinePage } from './modules/invoice/invoice.repository.ts';
import type { IInvoiceLine } from './modules/invoice/invoice.entity.ts';
import { HoldRepository, type HoldSummary } from './modules/hold/hold.repository.ts';
import type { IInvoiceHold } from './modules/hold/hold.entity.ts';
import { TimestampReservation, type ITimestampReservation } from './modules/timestamp/timestamp.entity.ts';
import { RefundLine, type IRefundLine } from './modules/refund/refund.entity.ts';
import { maskedAccounts, type MaskedAccount } from './modules/refund/refund-account.repository.ts';
import { AccountRef } from './modules/member-ref/member-ref.entity.ts';

/** Invoice.lines for one invoice with one set of arguments; keys with equal arguments share a statement. */
export interface LinePageKey {
  invoiceId: string;
  filter: InvoiceLineFilter | null;
  first: number;
  after: LineCursor | null;
}

/** Room.invoiceLines for one room and month (null = all months), as of `today` (JST). */
export interface RoomLinesKey {
  roomId: string;
  billingMonth: string | null;
  today: string;
}

/** Groups keys by everything but their id, so each distinct set of arguments costs one batch query. */
function groupBy<K, G>(keys: readonly K[], group: (k: K) => G): Map<string, { group: G; indexes: number[] }> {
  const groups = new Map<string, { group: G; indexes: number[] }>();
  keys.forEach((key, i) => {
    const g = group(key);
    const id = JSON.stringify(g);
    const entry = groups.get(id) ?? { group: g, indexes: [] };
    entry.indexes.push(i);
    groups.set(id, entry);
  });
  return groups;
}

/** Per-request batching: the statements a request makes do not grow with the rows it returns. */
export function createLoaders(em: EntityManager, _identity: Identity) {
  const invoices = new InvoiceRepository(em);
  const holds = new HoldRepository(em);
  return {
    /** InvoiceLine.holds, for every line of a page in one statement. */
    lineHolds: new DataLoader<string, IInvoiceHold[]>(async (lineIds) => {
      const byLine = new Map<string, IInvoiceHold[]>();
      for (const h of await holds.byLines(lineIds)) byLine.set(h.lineId, [...(byLine.get(h.lineId) ?? []), h]);
      return lineIds.map((id) => byLine.get(id) ?? []);
    }),
    /**
     * Display names of accounts (billing.account_ref) for "who did it" fields, one statement per
     * request; null when billing has not learnt the account (no account.upserted yet).
     */
    accountNames: new DataLoader<string, string | null>(async (ids) => {
      const rows = await em.find(AccountRef, { accountId: { $in: [...ids] } }, { fields: ['accountId', 'name'] });
      const byId = new Map(rows.map((r) => [r.accountId, r.name]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Refund.lines for every refund of a list in one statement. */
    refundLines: new DataLoader<string, IRefundLine[]>(async (refundIds) => {
      const rows = await em.find(RefundLine, { refundId: { $in: [...refundIds] } }, { orderBy: [{ apNo: 'asc' }, { roomNumber: 'asc' }, { id: 'asc' }] });
      return refundIds.map((id) => rows.filter((r) => r.refundId === id));
    }),
    /** The member's refund accounts, masked, once per request (key 'all'). */
    refundAccounts: new DataLoader<'all', MaskedAccount[]>(async (keys) => {
      const all = await maskedAccounts(em);
      return keys.map(() => all);
    }),
    /** Invoice.timestampReservations for every invoice of a list in one statement. */
    reservationsByInvoice: new DataLoader<string, ITimestampReservation[]>(async (invoiceIds) => {
      const rows = await em.find(TimestampReservation, { invoiceId: { $in: [...invoiceIds] } }, { orderBy: { printNo: 'asc' } });
      return invoiceIds.map((id) => rows.filter((r) => r.invoiceId === id));
    }),
    /** The items a reservation holds (live or not), for TimestampReservation.items. */
    reservationItems: new DataLoader<string, { line_id: string; category: string }[]>(async (ids) => {
      const memberId = em.getFilterParams<{ memberId?: string }>('member')?.memberId;
      const rows = await em.execute<{ reservation_id: string; line_id: string; category: string }[]>(
        'select reservation_id, line_id, category from billing.timestamp_reservation_item where member_id = ? and reservation_id in (?)',
        [memberId ?? null, [...ids]],
      );
      return ids.map((id) => rows.filter((r) => r.reservation_id === id));
    }),
    /** Invoice.heldAmount / changedTotalAmount / heldLineCount, for every invoice of a list in one statement. */
    holdSummary: new DataLoader<string, HoldSummary>(async (invoiceIds) => {
      const map = await holds.summaries(invoiceIds);
      return invoiceIds.map((id) => map.get(id)!);
    }),
    linePage: new DataLoader<LinePageKey, LinePage, string>(
      async (keys) => {
        const out: LinePage[] = new Array(keys.length);
        for (const { group, indexes } of groupBy(keys, ({ filter, first, after }) => ({ filter, first, after })).values()) {
          const pages = await invoices.linePages(indexes.map((i) => keys[i]!.invoiceId), group.filter, group.first, group.after);
          for (const i of indexes) out[i] = pages.get(keys[i]!.invoiceId)!;
        }
        return out;
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    roomLines: new DataLoader<RoomLinesKey, IInvoiceLine[], string>(
      async (keys) => {
        const out: IInvoiceLine[][] = new Array(keys.length);
        for (const { group, indexes } of groupBy(keys, ({ billingMonth, today }) => ({ billingMonth, today })).values()) {
          const rows = await invoices.linesByRooms([...new Set(indexes.map((i) => keys[i]!.roomId))], group.billingMonth, group.today);
          for (const i of indexes) out[i] = rows.filter((r) => r.roomId === keys[i]!.roomId);
        }
        return out;
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}
export type BillingLoaders = ReturnType<typeof createLoaders>;

/** What this subgraph's resolvers receive (the generated resolver types' context). */
export type BillingContext = SubgraphContext<BillingLoaders>;
