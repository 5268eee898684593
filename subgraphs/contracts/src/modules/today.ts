import { jstDateOf, type Clock } from '@portal/platform';

/** Today's calendar date in Asia/Tokyo (`YYYY-MM-DD`), from the request's injectable clock. */
export function todayIn(clock: Clock): string {
  return jstDateOf(clock.now());
}
