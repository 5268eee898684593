import ipaddr from 'ipaddr.js';

/**
 * IP addresses as the allow-list sees them: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4
 * address it maps, so a dual-stack socket and an IPv4 entry agree.
 */
export function normalizeIp(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  return parsed.toString();
}

/** A CIDR range or single address, normalised (`10.0.0.0/8`, `2001:db8::/32`); null when malformed. */
export function normalizeCidr(entry: string): string | null {
  const text = entry.trim();
  if (text.includes('/')) {
    if (!ipaddr.isValidCIDR(text)) return null;
    let [addr, bits] = ipaddr.parseCIDR(text);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
      bits -= 96;
    }
    const network = addr.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${bits}`);
    return `${network.toString()}/${bits}`;
  }
  const single = normalizeIp(text);
  return single;
}

/** True when the (normalised) address is inside one of the allow-list entries. */
export function ipAllowed(address: string, entries: readonly string[]): boolean {
  const ip = normalizeIp(address);
  if (!ip) return false;
  const parsed = ipaddr.parse(ip);
  for (const entry of entries) {
    const cidr = normalizeCidr(entry);
    if (!cidr) continue;
    if (!cidr.includes('/')) {
      if (cidr === ip) return true;
      continue;
    }
    const range = ipaddr.parseCIDR(cidr);
    if (range[0].kind() === parsed.kind() && parsed.match(range)) return true;
  }
  return false;
}
