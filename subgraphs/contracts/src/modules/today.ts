import { jstDateOf, type Clock } from '@portal/platform';

/** Today's calendar date in Asia/Tokyo (`YYYY-MM-DD`), from the request's injectable clock. */
export function todayIn(clock: Clock): string {
  return jstDateOf(clock.now());
}

const perRequest = new WeakMap<object, string>();

/**
 * Today for one request (its context), computed once: every field of one answer agrees on the date
 * even across midnight, and a page of rooms does not format the clock once per room and field.
 */
export function todayFor(ctx: { clock: Clock }): string {
  let today = perRequest.get(ctx);
  if (today === undefined) {
    today = todayIn(ctx.clock);
    perRequest.set(ctx, today);
  }
  return today;
}
