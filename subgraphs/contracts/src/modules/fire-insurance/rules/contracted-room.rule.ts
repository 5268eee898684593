/**
 * Which rooms a blanket policy (包括: 「ご契約済みの全てのお部屋に適用されます」) covers: the member's
 * contracted rooms, i.e. its rooms in contracts' room read model (tenancy's rooms of that member)
 * whose lease has not ended. Dates are Asia/Tokyo calendar dates as `YYYY-MM-DD`.
 *
 * The lease's last day is still contracted; from the day after it the room is not (a room with no
 * end date fixed is contracted). A lease that starts later is already contracted (契約済み).
 */
export function isContractedOn(room: { leaseEnd?: string | null }, today: string): boolean {
  return room.leaseEnd == null || room.leaseEnd >= today;
}
