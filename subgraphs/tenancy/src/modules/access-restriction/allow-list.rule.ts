import { ipAllowed, normalizeCidr } from '@portal/auth';

/**
 * IP access restriction (アクセス制限) rules, free of GraphQL and the ORM.
 * - An entry is one IPv4/IPv6 address or a CIDR range. It is stored normalised: IPv4-mapped IPv6
 *   becomes IPv4, host bits of a range are cleared (`10.1.2.3/8` → `10.0.0.0/8`), and a full-length
 *   prefix is the bare address (`192.0.2.1/32` → `192.0.2.1`), so duplicates are recognised.
 * - An empty list means no restriction; a non-empty one admits only addresses inside an entry.
 * - Saving a list that would refuse the caller's own address needs an explicit confirmation.
 */
export const MAX_ALLOW_LIST_ENTRIES = 100;
export const NOTE_MAX_LENGTH = 100;

export function normalizeAllowEntry(raw: string): string | null {
  const normalized = normalizeCidr(raw);
  if (!normalized) return null;
  const [address, bits] = normalized.split('/');
  if (bits !== undefined && ((address!.includes(':') && bits === '128') || (!address!.includes(':') && bits === '32'))) return address!;
  return normalized;
}

/** Whether a list (after a change) would refuse the given client address. */
export function locksOut(clientIp: string, entries: readonly string[]): boolean {
  return entries.length > 0 && !ipAllowed(clientIp, entries);
}
