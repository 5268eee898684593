/**
 * The one source of "now" for every date rule, job and link in the portal.
 *
 * Rules take a Clock instead of calling `new Date()` so that tests (and support staff replaying an
 * incident) can put the whole system at 07:59 JST on a holiday and watch what happens at 08:00.
 * A Clock returns absolute instants; JST calendar views come from `calendar.ts`.
 */

/** A source of the current instant. Inject it; never read the wall clock inside a rule. */
export interface Clock {
  /** The current instant (a fresh Date each call, so callers may mutate it safely). */
  now(): Date;
}

/** A Clock tests (and the demo) can move by hand; the job queue mirrors it into PostgreSQL. */
export interface SettableClock extends Clock {
  /** Freezes the clock at `date` until the next set/advance/reset. */
  set(date: Date): void;
  /** Moves the clock forward (or back, with a negative value) by `ms` milliseconds and freezes it there. */
  advance(ms: number): void;
  /** Back to following the system time. */
  reset(): void;
  /** Whether the clock is frozen at a set time (false after `reset()` or when created without a time). */
  isFrozen(): boolean;
  /**
   * Calls `listener` after every set/advance/reset, so an adapter that keeps its own copy of the
   * time (the job queue's database clock) can follow. Returns the unsubscribe function.
   */
  subscribe(listener: (now: Date) => void): () => void;
}

/** The real wall clock; what production wires everywhere. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/**
 * A clock for tests and the demo: starts frozen at `initial` (or follows system time when omitted),
 * and can be set, advanced and reset.
 */
export function createSettableClock(initial?: Date): SettableClock {
  let frozenAt: number | null = initial ? checkedTime(initial) : null;
  const listeners = new Set<(now: Date) => void>();
  const current = (): number => frozenAt ?? Date.now();
  const notify = (): void => {
    for (const listener of listeners) listener(new Date(current()));
  };
  return {
    now: () => new Date(current()),
    set(date) {
      frozenAt = checkedTime(date);
      notify();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`advance(ms): not a finite number: ${ms}`);
      frozenAt = current() + ms;
      notify();
    },
    reset() {
      frozenAt = null;
      notify();
    },
    isFrozen: () => frozenAt !== null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Whether a Clock is a SettableClock (the job queue then keeps PostgreSQL's idea of "now" in step). */
export function isSettableClock(clock: Clock): clock is SettableClock {
  const candidate = clock as Partial<SettableClock>;
  return typeof candidate.set === 'function' && typeof candidate.subscribe === 'function';
}

function checkedTime(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Clock: invalid Date');
  return ms;
}
