/**
 * Which fire insurance policy is in force, and for which room. Dates are calendar dates in
 * Asia/Tokyo as `YYYY-MM-DD` strings, so string order is date order.
 */

export type CoverageKind = 'BLANKET' | 'PER_ROOM';
export type RegistrationKind = 'NEW' | 'RENEWAL' | 'MODIFIED' | 'CANCELLED_MIDTERM';
export type PolicyStatus = 'UPCOMING' | 'ACTIVE' | 'EXPIRED' | 'CANCELLED';

/** The fields of a policy these rules read. */
export interface PolicyDates {
  startDate: string;
  endDate: string;
  registrationKind: RegistrationKind;
}

export interface RoomPolicy extends PolicyDates {
  id: string;
  /** Null (or absent) for a blanket policy. */
  roomId?: string | null;
  coverageKind: CoverageKind;
}

/**
 * The status of a policy on `today`. "終期日を迎えた火災保険登録内容は、終期日翌日に削除されます":
 * the end date itself is still covered; the policy leaves the list the day after.
 * A policy registered as 中途解約済み (cancelled mid-term) is no longer in force whatever its dates.
 */
export function policyStatusOn(policy: PolicyDates, today: string): PolicyStatus {
  if (policy.registrationKind === 'CANCELLED_MIDTERM') return 'CANCELLED';
  if (today > policy.endDate) return 'EXPIRED';
  if (today < policy.startDate) return 'UPCOMING';
  return 'ACTIVE';
}

/** Policies hidden by default in searches (the manual's 「保険中途解約済み・満了済みを含む」 box unticked). */
export function isListedByDefault(policy: PolicyDates, today: string): boolean {
  const status = policyStatusOn(policy, today);
  return status === 'ACTIVE' || status === 'UPCOMING';
}

/**
 * The policy that covers `roomId` on `today`: an active per-room policy of that room wins over an
 * active blanket (包括) one. Among several active candidates of the same kind (a renewal that
 * overlaps the policy it renews) the one that started last wins, then the one ending last, then
 * the greatest id, so the answer never depends on row order.
 */
export function effectivePolicyForRoom<P extends RoomPolicy>(roomId: string, policies: readonly P[], today: string): P | null {
  let perRoom: P | null = null;
  let blanket: P | null = null;
  for (const p of policies) {
    if (policyStatusOn(p, today) !== 'ACTIVE') continue;
    if (p.coverageKind === 'PER_ROOM' && p.roomId === roomId) perRoom = later(perRoom, p);
    else if (p.coverageKind === 'BLANKET' && p.roomId == null) blanket = later(blanket, p);
  }
  return perRoom ?? blanket;
}

function later<P extends RoomPolicy>(a: P | null, b: P): P {
  if (!a) return b;
  if (a.startDate !== b.startDate) return a.startDate > b.startDate ? a : b;
  if (a.endDate !== b.endDate) return a.endDate > b.endDate ? a : b;
  return a.id > b.id ? a : b;
}
