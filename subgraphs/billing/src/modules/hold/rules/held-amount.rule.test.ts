import { describe, expect, it } from 'vitest';
import { heldAmount, normaliseReason } from './held-amount.rule.ts';

const line = { nextMonthUsageFee: 47550, annualFee: 19800, minorServicesFee: 1500, exitSettlement: 0 };

describe('heldAmount', () => {
  it.each([
    [[], 0],
    [['ANNUAL_FEE'], 19800],
    [['ANNUAL_FEE', 'MINOR_SERVICES_FEE'], 21300],
    [['ANNUAL_FEE', 'ANNUAL_FEE'], 19800],
    [['EXIT_SETTLEMENT'], 0],
    [['WHOLE_LINE'], 68850],
    [['WHOLE_LINE', 'ANNUAL_FEE'], 68850],
  ] as const)('%j → %i', (targets, amount) => {
    expect(heldAmount(line, targets)).toBe(amount);
  });
});

describe('normaliseReason', () => {
  it.each([
    [null, null],
    ['', null],
    ['   ', null],
    ['\u3000', null],
    [' 退去済み ', '退去済み'],
    ['二重\n請求', '二重 請求'],
  ])('%j → %j', (input, out) => {
    expect(normaliseReason(input)).toBe(out);
  });
});
