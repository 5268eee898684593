import { addDays, jstDate, jstStartOfDay } from '@portal/platform';

/**
 * The instants a search of the audit trail covers: `from` and `to` are calendar dates in
 * Asia/Tokyo, both inclusive, so the period is [from 00:00 JST, the day after `to` 00:00 JST).
 * Either may be missing (open-ended). `from` after `to` is an input error.
 */
export type AuditPeriod = { ok: true; start: Date | null; end: Date | null } | { ok: false; code: 'INVALID_DATE_RANGE' };

export function auditPeriod(from: string | null | undefined, to: string | null | undefined): AuditPeriod {
  const start = from ? jstStartOfDay(jstDate(from)) : null;
  const end = to ? jstStartOfDay(addDays(jstDate(to), 1)) : null;
  if (start && end && start.getTime() >= end.getTime()) return { ok: false, code: 'INVALID_DATE_RANGE' };
  return { ok: true, start, end };
}

/** Whether an instant falls inside a period (what the repository's SQL condition means). */
export function inAuditPeriod(at: Date, period: { start: Date | null; end: Date | null }): boolean {
  return (!period.start || at.getTime() >= period.start.getTime()) && (!period.end || at.getTime() < period.end.getTime());
}
