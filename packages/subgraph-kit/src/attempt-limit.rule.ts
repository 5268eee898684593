/**
 * The limiter of secret checks (passwords, later OTPs and verification codes): a pure rule over
 * failure counters, so that every subgraph applies the same policy to its own table.
 *
 * Why this shape (issue 10 items 6-7, issue 11 item 3): a hard per-account lock is a lock-out tool
 * (anyone who knows a login ID can lock its owner out) and a per-account delay is an oracle when it
 * differs between known and unknown IDs. So:
 * - every attempt is counted under three keys: the client ADDRESS (all subjects), the SUBJECT (the
 *   login ID as typed and normalised, known or not, from all addresses) and the pair ADDRESS+SUBJECT;
 * - only keys that contain the attacker's own address ever BLOCK (refuse even a right secret):
 *   the pair after PAIR_BLOCK_AT failures, the address after ADDRESS_BLOCK_AT (credential stuffing);
 *   the subject key alone only slows, so a distributed attack cannot lock the owner out either;
 * - every key slows its attempts with a delay that steps up from its own threshold, and the
 *   delay applied is the largest of the three, capped at MAX_DELAY_MS;
 * - counters live in fixed windows of WINDOW_MS from their first failure: a block ends at the end of
 *   the window it was reached in (at most 15 min), and a quiet key starts again from zero.
 * The verdict depends only on the counters as they were before the attempt, never on whether the
 * secret was right or the subject exists, so it reveals neither.
 */

/** The length of a counting window. */
export const WINDOW_MS = 15 * 60 * 1000;
/** The first step of the delay; each further failure doubles it. */
export const DELAY_STEP_MS = 250;
/**
 * The longest delay any attempt is held back. The gateway gives up on a subgraph after
 * PORTAL_SUBGRAPH_TIMEOUT_MS (default 5 s); scrypt costs ~0.1-0.5 s, so 1.5 s keeps the worst-case
 * server time of a failed attempt near 2 s, well under the timeout: the answer never changes to
 * SUBGRAPH_UNAVAILABLE however many failures came before.
 */
export const MAX_DELAY_MS = 1500;

export type AttemptKeyKind = 'address' | 'subject' | 'pair';

/** Per kind of key: failures before the delay starts, and failures at which attempts are refused. */
export const POLICY: Record<AttemptKeyKind, { delayFrom: number; blockAt: number | null }> = {
  // One address trying one ID: the 4th attempt waits, the 11th is refused (10 tries per window).
  pair: { delayFrom: 3, blockAt: 10 },
  // One address trying many IDs: slowed from the 21st attempt, refused from the 101st.
  address: { delayFrom: 20, blockAt: 100 },
  // Many addresses trying one ID: slowed from the 11th attempt, never refused (no lock-out tool).
  subject: { delayFrom: 10, blockAt: null },
};

export const PAIR_BLOCK_AT = POLICY.pair.blockAt!;
export const ADDRESS_BLOCK_AT = POLICY.address.blockAt!;

/** A stored counter: failures since the window started. */
export interface AttemptCounter {
  failures: number;
  windowStartedAt: Date;
}

export interface AttemptVerdict {
  /** Refuse the attempt whatever the secret (the same answer as a wrong secret). */
  blocked: boolean;
  /** How long to hold the answer back, applied to every failed answer alike. */
  delayMs: number;
}

/** The failures a counter holds at `now` (0 when its window has run out). */
export function liveFailures(counter: AttemptCounter | null | undefined, now: Date): number {
  if (!counter) return 0;
  return now.getTime() - counter.windowStartedAt.getTime() >= WINDOW_MS ? 0 : counter.failures;
}

/** The delay of one key after `failures` earlier failures in its window. */
export function delayFor(kind: AttemptKeyKind, failures: number): number {
  const over = failures - POLICY[kind].delayFrom;
  if (over < 0) return 0;
  return Math.min(DELAY_STEP_MS * 2 ** Math.min(over, 16), MAX_DELAY_MS);
}

/** The verdict on an attempt, from the counters as they stood before it. */
export function attemptVerdict(counters: Partial<Record<AttemptKeyKind, AttemptCounter | null>>, now: Date): AttemptVerdict {
  let blocked = false;
  let delayMs = 0;
  for (const kind of ['pair', 'address', 'subject'] as const) {
    const failures = liveFailures(counters[kind], now);
    const blockAt = POLICY[kind].blockAt;
    if (blockAt !== null && failures >= blockAt) blocked = true;
    delayMs = Math.max(delayMs, delayFor(kind, failures));
  }
  return { blocked, delayMs };
}

/** The counter after one more failure at `now`: a window that has run out starts again. */
export function afterFailure(counter: AttemptCounter | null | undefined, now: Date): AttemptCounter {
  const failures = liveFailures(counter, now);
  return failures === 0 ? { failures: 1, windowStartedAt: now } : { failures: failures + 1, windowStartedAt: counter!.windowStartedAt };
}
