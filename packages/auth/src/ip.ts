import ipaddr from 'ipaddr.js';

/**
 * Parses an address, accepting IPv4 only as four decimal parts without leading zeros.
 *
 * Fix: ipaddr.js also accepts `10.1` (= 10.0.0.1), `167772161`, hex parts and zero-padded parts,
 * which it reads as OCTAL (`192.168.001.010` = 192.168.1.8, `010.0.0.0/8` = 8.0.0.0/8). An
 * administrator typing a zero-padded allow-list entry would silently allow another address or a
 * whole other network; such spellings are refused as malformed instead.
 */
function parseStrict(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (text.includes(':')) {
    if (!ipaddr.IPv6.isValid(text)) return null;
    const dotted = /:([^:%]*\.[^:%]*)(%.*)?$/.exec(text); // IPv6 with an embedded dotted IPv4 tail
    if (dotted && !ipaddr.IPv4.isValidFourPartDecimal(dotted[1]!)) return null;
    return ipaddr.IPv6.parse(text);
  }
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : null;
}

/**
 * IP addresses as the allow-list sees them: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is the IPv4
 * address it maps, so a dual-stack socket and an IPv4 entry agree.
 */
export function normalizeIp(address: string): string | null {
  const parsed = parseStrict(address);
  if (!parsed) return null;
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  return parsed.toString();
}

/** A CIDR range or single address, normalised (`10.0.0.0/8`, `2001:db8::/32`); null when malformed. */
export function normalizeCidr(entry: string): string | null {
  const text = entry.trim();
  if (text.includes('/')) {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
    let addr = match ? parseStrict(match[1]!) : null;
    if (!match || !addr) return null;
    let bits = Number(match[2]);
    if (bits > (addr.kind() === 'ipv4' ? 32 : 128)) return null;
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

/**
 * The address a client is counted under by limiters: IPv4 as is; IPv6 by its /64, because one
 * client usually holds a whole /64 and could otherwise take a fresh address for every try. An
 * address that does not parse is counted as itself (the gateway always sends a socket address).
 */
export function clientAddressBucket(clientIp: string): string {
  const ip = normalizeIp(clientIp);
  if (!ip) return clientIp || 'unknown';
  if (!ip.includes(':')) return ip;
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip}/64`).toString()}/64`;
}
