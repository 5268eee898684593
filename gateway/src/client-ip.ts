import type { IncomingMessage } from 'node:http';
import { ipAllowed, normalizeIp } from '@portal/auth';

/**
 * The client's address. Without trusted proxies it is the socket's peer, whatever headers say.
 * With trusted proxies, X-Forwarded-For is read from the right, skipping hops that are trusted
 * proxies; the first untrusted hop is the client (a client cannot forge its way past our proxies).
 */
export function clientIpOf(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const peer = normalizeIp(req.socket.remoteAddress ?? '') ?? '';
  if (trustedProxies.length === 0 || !ipAllowed(peer, trustedProxies)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (!hop) break;
    client = hop;
    if (!ipAllowed(hop, trustedProxies)) break;
  }
  return client;
}
