import { describe, expect, it } from 'vitest';
import { createSettableClock, isSettableClock, systemClock } from './clock.ts';

describe('systemClock', () => {
  it('follows the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    expect(isSettableClock(systemClock)).toBe(false);
  });
});

describe('createSettableClock', () => {
  const start = new Date('2025-04-01T00:00:00Z');

  it('starts frozen at the given instant and hands out copies', () => {
    const clock = createSettableClock(start);
    const first = clock.now();
    first.setFullYear(1999);
    expect(clock.now().toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(clock.isFrozen()).toBe(true);
    expect(isSettableClock(clock)).toBe(true);
  });

  it('sets, advances (both ways) and resets', () => {
    const clock = createSettableClock(start);
    clock.set(new Date('2025-05-02T23:59:00Z'));
    expect(clock.now().toISOString()).toBe('2025-05-02T23:59:00.000Z');
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe('2025-05-03T00:00:00.000Z');
    clock.advance(-2 * 60_000);
    expect(clock.now().toISOString()).toBe('2025-05-02T23:58:00.000Z');
    clock.reset();
    expect(clock.isFrozen()).toBe(false);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000);
  });

  it('follows system time when created without an instant, and advance freezes it', () => {
    const clock = createSettableClock();
    expect(clock.isFrozen()).toBe(false);
    const before = Date.now();
    clock.advance(3_600_000);
    const moved = clock.now().getTime();
    expect(moved).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(clock.isFrozen()).toBe(true);
  });

  it('tells subscribers about every change until they unsubscribe', () => {
    const clock = createSettableClock(start);
    const seen: string[] = [];
    const unsubscribe = clock.subscribe((now) => seen.push(now.toISOString()));
    clock.advance(1_000);
    clock.set(new Date('2026-01-01T00:00:00Z'));
    unsubscribe();
    clock.advance(1_000);
    expect(seen).toEqual(['2025-04-01T00:00:01.000Z', '2026-01-01T00:00:00.000Z']);
  });

  it('rejects invalid input', () => {
    expect(() => createSettableClock(new Date('nope'))).toThrow(RangeError);
    const clock = createSettableClock(start);
    expect(() => clock.set(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
