import { describe, expect, it } from 'vitest';
import { formatJstDate, formatJstDateTime, formatYen } from '../src/index.ts';

describe('formatYen', () => {
  it.each([
    [0, '¥0'],
    [999, '¥999'],
    [1000, '¥1,000'],
    [999_999, '¥999,999'],
    [1_000_000, '¥1,000,000'],
    [-1, '-¥1'],
    [-1000, '-¥1,000'],
    [123_456_789_012, '¥123,456,789,012'],
  ])('%d → %s', (n, text) => {
    expect(formatYen(n)).toBe(text);
  });

  it('takes bigint and the plain / 円 styles', () => {
    expect(formatYen(12_345_678_901_234_567_890n)).toBe('¥12,345,678,901,234,567,890');
    expect(formatYen(1234, { symbol: false })).toBe('1,234');
    expect(formatYen(-1234, { suffixEn: true })).toBe('-1,234円');
  });

  it.each([0.5, 1234.01, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s (yen has no minor unit)', (n) => {
    expect(() => formatYen(n)).toThrow(RangeError);
  });
});

describe('formatJstDate', () => {
  it('turns the date at 15:00 UTC (00:00 in Japan), not before', () => {
    expect(formatJstDate(new Date('2026-03-31T14:59:59.999Z'))).toBe('2026年3月31日');
    expect(formatJstDate(new Date('2026-03-31T15:00:00.000Z'))).toBe('2026年4月1日');
  });

  it('takes a calendar date string as is, whatever the host zone', () => {
    expect(formatJstDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatJstDate('2026-01-05', { style: 'slash' })).toBe('2026/01/05');
    expect(formatJstDate(new Date('2025-12-31T15:00:00Z'), { style: 'iso' })).toBe('2026-01-01');
  });

  it('refuses an invalid date', () => {
    expect(() => formatJstDate(new Date('nope'))).toThrow(RangeError);
  });

  it('formats date and time in Japan', () => {
    expect(formatJstDateTime(new Date('2026-04-01T00:05:00Z'))).toBe('2026年4月1日 09:05');
  });
});
