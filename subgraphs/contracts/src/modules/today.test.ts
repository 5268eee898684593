import { describe, expect, it } from 'vitest';
import { createSettableClock } from '@portal/platform';
import { todayFor, todayIn } from './today.ts';

describe('today', () => {
  it('is the Tokyo date: 14:59:59Z is still the same day, 15:00:00Z is the next', () => {
    expect(todayIn(createSettableClock(new Date('2026-12-03T14:59:59Z')))).toBe('2026-12-03');
    expect(todayIn(createSettableClock(new Date('2026-12-03T15:00:00Z')))).toBe('2026-12-04');
  });

  it('is fixed for one request, even when the clock passes midnight during it', () => {
    const clock = createSettableClock(new Date('2026-12-03T14:59:59Z'));
    const request = { clock };
    expect(todayFor(request)).toBe('2026-12-03');
    clock.set(new Date('2026-12-03T15:00:01Z'));
    expect(todayFor(request)).toBe('2026-12-03');
    expect(todayFor({ clock })).toBe('2026-12-04');
  });
});
