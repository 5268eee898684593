/**
 * Formatting helpers for Japanese business documents (帳票).
 * Pure functions: no clock, no locale of the host (always Japanese, always Asia/Tokyo).
 */

/** Options of {@link formatYen}. */
export interface FormatYenOptions {
  /** Prefix the yen sign: '¥1,234' (default true). With false: '1,234'. */
  symbol?: boolean;
  /** Suffix '円' instead of the prefix '¥': '1,234円' (default false). */
  suffixEn?: boolean;
}

/**
 * A yen amount with thousands separators: formatYen(1234567) === '¥1,234,567', formatYen(-500) === '-¥500'.
 * Yen has no minor unit: a fractional or non-finite amount is a bug upstream (round the tax first),
 * so it throws a RangeError instead of printing '¥1,234.5' on a legal document.
 */
export function formatYen(n: number | bigint, options: FormatYenOptions = {}): string {
  if (typeof n === 'number' && (!Number.isFinite(n) || !Number.isInteger(n))) {
    throw new RangeError(`formatYen: a whole number of yen is required, got ${n}`);
  }
  const negative = n < 0;
  const abs = negative ? -BigInt(n) : BigInt(n);
  const digits = abs.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = negative ? '-' : '';
  if (options.suffixEn) return `${sign}${digits}円`;
  return options.symbol === false ? `${sign}${digits}` : `${sign}¥${digits}`;
}

/** A calendar date as written on Japanese documents. */
export type DateInput = Date | string;

/** Options of {@link formatJstDate}. */
export interface FormatJstDateOptions {
  /** 'long' → '2026年4月1日' (default); 'slash' → '2026/04/01'; 'iso' → '2026-04-01'. */
  style?: 'long' | 'slash' | 'iso';
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar date in Japan (Asia/Tokyo, UTC+9, no daylight saving) of an instant or a 'YYYY-MM-DD' string. */
export function jstDateParts(date: DateInput): { year: number; month: number; day: number } {
  if (typeof date === 'string') {
    const m = DATE_ONLY.exec(date);
    if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    date = new Date(date);
  }
  if (Number.isNaN(date.getTime())) throw new RangeError('formatJstDate: invalid date');
  // Japan has had no daylight saving since 1951: a fixed +9h offset is exact.
  const jst = new Date(date.getTime() + 9 * 3600_000);
  return { year: jst.getUTCFullYear(), month: jst.getUTCMonth() + 1, day: jst.getUTCDate() };
}

/**
 * The date in Japan of an instant (or a 'YYYY-MM-DD' calendar date, taken as is):
 * formatJstDate(new Date('2026-03-31T15:00:00Z')) === '2026年4月1日'.
 */
export function formatJstDate(date: DateInput, options: FormatJstDateOptions = {}): string {
  const { year, month, day } = jstDateParts(date);
  const mm = String(month).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  switch (options.style ?? 'long') {
    case 'slash':
      return `${year}/${mm}/${dd}`;
    case 'iso':
      return `${year}-${mm}-${dd}`;
    default:
      return `${year}年${month}月${day}日`;
  }
}

/** The date and time in Japan: '2026年4月1日 09:05' (for time-stamp lines and print histories). */
export function formatJstDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('formatJstDateTime: invalid date');
  const jst = new Date(date.getTime() + 9 * 3600_000);
  const hh = String(jst.getUTCHours()).padStart(2, '0');
  const mi = String(jst.getUTCMinutes()).padStart(2, '0');
  return `${formatJstDate(date)} ${hh}:${mi}`;
}
