import { describe, expect, it } from 'vitest';
import { auditPeriod, inAuditPeriod } from './audit-period.rule.ts';

describe('auditPeriod (Japan-time dates, both inclusive)', () => {
  const period = auditPeriod('2026-11-01', '2026-11-30');
  if (!period.ok) throw new Error('expected a period');

  it.each([
    ['one millisecond before the start (Oct 31 23:59:59.999 JST)', '2026-10-31T14:59:59.999Z', false],
    ['the start (Nov 1 00:00 JST)', '2026-10-31T15:00:00.000Z', true],
    ['the last moment of the end date (Nov 30 23:59:59.999 JST)', '2026-11-30T14:59:59.999Z', true],
    ['the next day (Dec 1 00:00 JST)', '2026-11-30T15:00:00.000Z', false],
  ])('%s', (_name, instant, expected) => {
    expect(inAuditPeriod(new Date(instant), period)).toBe(expected);
  });

  it('allows a single day and open ends', () => {
    const day = auditPeriod('2026-11-22', '2026-11-22');
    expect(day.ok && day.end!.getTime() - day.start!.getTime()).toBe(24 * 3600 * 1000);
    expect(auditPeriod(null, '2026-11-22')).toMatchObject({ ok: true, start: null });
    expect(auditPeriod('2026-11-22', null)).toMatchObject({ ok: true, end: null });
    expect(auditPeriod(null, null)).toEqual({ ok: true, start: null, end: null });
  });

  it('refuses a start after the end', () => {
    expect(auditPeriod('2026-11-23', '2026-11-22')).toEqual({ ok: false, code: 'INVALID_DATE_RANGE' });
  });
});
