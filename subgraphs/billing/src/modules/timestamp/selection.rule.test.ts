import { describe, expect, it } from 'vitest';
import { resolveSelection, totalOf, type AvailableItem } from './selection.rule.ts';

const items: AvailableItem[] = [
  { lineId: 'a', category: 'NEXT_MONTH_USAGE_FEE', amount: 47550, reservationId: null },
  { lineId: 'a', category: 'ANNUAL_FEE', amount: 19800, reservationId: null },
  { lineId: 'b', category: 'NEXT_MONTH_USAGE_FEE', amount: 45050, reservationId: 'r1' },
  { lineId: 'c', category: 'EXIT_SETTLEMENT', amount: 41800, reservationId: null },
];

describe('resolveSelection', () => {
  it('all: every selectable item, never exit settlements or reserved ones', () => {
    const r = resolveSelection(items, { all: true });
    expect(r.items.map((i) => `${i.lineId}:${i.category}`)).toEqual(['a:NEXT_MONTH_USAGE_FEE', 'a:ANNUAL_FEE']);
    expect(totalOf(r.items)).toBe(67350);
  });

  it('one by one: refuses the whole selection when any item is an exit settlement, reserved, or unknown', () => {
    expect(resolveSelection(items, { items: [{ lineId: 'a', category: 'ANNUAL_FEE' }, { lineId: 'c', category: 'EXIT_SETTLEMENT' }] })).toEqual({ items: [], problems: [{ code: 'EXIT_SETTLEMENT_NOT_SELECTABLE', index: 1 }] });
    expect(resolveSelection(items, { items: [{ lineId: 'b', category: 'NEXT_MONTH_USAGE_FEE' }] }).problems).toEqual([{ code: 'ALREADY_RESERVED', index: 0 }]);
    expect(resolveSelection(items, { items: [{ lineId: 'x', category: 'ANNUAL_FEE' }] }).problems).toEqual([{ code: 'ITEM_NOT_FOUND', index: 0 }]);
  });

  it('one by one: takes a repeated item once', () => {
    const r = resolveSelection(items, { items: [{ lineId: 'a', category: 'ANNUAL_FEE' }, { lineId: 'a', category: 'ANNUAL_FEE' }] });
    expect(r.items).toHaveLength(1);
    expect(totalOf(r.items)).toBe(19800);
  });

  it('refuses an empty selection', () => {
    expect(resolveSelection(items, { items: [] }).problems).toEqual([{ code: 'NOTHING_SELECTED' }]);
    expect(resolveSelection(items.slice(2), { filtered: true }).problems).toEqual([{ code: 'NOTHING_SELECTED' }]);
  });
});
