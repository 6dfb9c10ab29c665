import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { requestHeader } from './request-header.js';

function socketAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/**
 * The address limits count against. `X-Forwarded-For` is believed only from the site's own proxies, and
 * read from the right, so a client cannot pick its own address by sending the header itself.
 */
export function clientIpResolver(trustedProxies: readonly string[]): (c: Context) => string {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    if (bits === undefined) trusted.addAddress(address, family(address));
    else trusted.addSubnet(address, Number(bits), family(address));
  }
  const isTrusted = (address: string) => isIP(address) !== 0 && trusted.check(unmapped(address), family(unmapped(address)));

  return (c) => {
    const peer = socketAddress(c);
    if (!peer) return 'unknown';
    if (trustedProxies.length === 0 || !isTrusted(peer)) return unmapped(peer);
    const forwarded = (requestHeader(c, 'x-forwarded-for') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    for (let i = forwarded.length - 1; i >= 0; i--) {
      const hop = forwarded[i]!;
      if (!isIP(hop)) return unmapped(peer);
      if (!isTrusted(hop)) return unmapped(hop);
    }
    return unmapped(forwarded[0] ?? peer);
  };
}

/** `::ffff:1.2.3.4` and `1.2.3.4` are one client. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
