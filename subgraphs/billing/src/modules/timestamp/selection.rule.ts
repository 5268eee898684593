import type { LineCategory } from '../hold/rules/held-amount.rule.ts';

/** An item of a qualified invoice: one non-zero category of a line (the manual's ご請求内容 rows). */
export interface AvailableItem {
  lineId: string;
  category: LineCategory;
  amount: number;
  /** The live reservation holding it (予約中 or 完了), if any. */
  reservationId: string | null;
}

export type Selection = { all: true } | { items: readonly { lineId: string; category: LineCategory }[] } | { filtered: true };

export type SelectionProblem =
  | { code: 'NOTHING_SELECTED' }
  | { code: 'ITEM_NOT_FOUND' | 'EXIT_SETTLEMENT_NOT_SELECTABLE' | 'ALREADY_RESERVED'; index: number };

/** Exit settlements are stamped with their settlement statement already (manual p.5 ⑥). */
export function isSelectable(item: AvailableItem): boolean {
  return item.category !== 'EXIT_SETTLEMENT' && item.reservationId === null;
}

/**
 * What a selection reserves (manual p.5–6): all selectable items (全件選択), the items picked one by
 * one (単一選択: every one must be selectable, else the whole selection is refused), or the selectable
 * items among those a filter left (`available` is then already filtered).
 */
export function resolveSelection(available: readonly AvailableItem[], selection: Selection): { items: AvailableItem[]; problems: SelectionProblem[] } {
  if ('items' in selection) {
    const byKey = new Map(available.map((i) => [`${i.lineId}|${i.category}`, i]));
    const problems: SelectionProblem[] = [];
    const items: AvailableItem[] = [];
    const seen = new Set<string>();
    selection.items.forEach((s, index) => {
      const key = `${s.lineId}|${s.category}`;
      const item = byKey.get(key);
      if (!item) problems.push({ code: 'ITEM_NOT_FOUND', index });
      else if (item.category === 'EXIT_SETTLEMENT') problems.push({ code: 'EXIT_SETTLEMENT_NOT_SELECTABLE', index });
      else if (item.reservationId !== null) problems.push({ code: 'ALREADY_RESERVED', index });
      else if (!seen.has(key)) (seen.add(key), items.push(item));
    });
    if (!problems.length && !items.length) problems.push({ code: 'NOTHING_SELECTED' });
    return problems.length ? { items: [], problems } : { items, problems };
  }
  const items = available.filter(isSelectable);
  return items.length ? { items, problems: [] } : { items: [], problems: [{ code: 'NOTHING_SELECTED' }] };
}

export function totalOf(items: readonly AvailableItem[]): number {
  return items.reduce((s, i) => s + i.amount, 0);
}
