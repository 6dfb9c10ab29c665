/**
 * Whether a page origin matches a site's configured pattern. A pattern is an exact origin
 * (`https://shop.example`), or one with a wildcard port (`http://localhost:*`: any port, or none) or a
 * wildcard subdomain (`https://*.shop.example`: any subdomain at any depth, but not `shop.example` itself,
 * which is listed on its own when wanted). Scheme and host compare case-insensitively, as browsers send them.
 */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true;
  return compiled(pattern)?.test(origin) ?? false;
}

/** Patterns come from configuration, so each is compiled once, not on every request. */
const COMPILED = new Map<string, RegExp | null>();

/** `scheme://[*.]host[:port|:*]`, the host a name, an IPv4 address or a bracketed IPv6 address. */
const PATTERN = /^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/i;

/** Whether a configured origin pattern is one of the forms above. */
export function isOriginPattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}

function compiled(pattern: string): RegExp | null {
  let regex = COMPILED.get(pattern);
  if (regex !== undefined) return regex;
  const parts = PATTERN.exec(pattern);
  if (!parts) {
    regex = null;
  } else {
    const [, scheme, anySubdomain, host, port] = parts;
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const subdomain = anySubdomain ? '(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+' : '';
    const portPart = port === '*' ? '(?::\\d{1,5})?' : port ? `:${port}` : '';
    regex = new RegExp(`^${scheme}://${subdomain}${escape(host!)}${portPart}$`, 'i');
  }
  COMPILED.set(pattern, regex);
  return regex;
}

export function originAllowed(patterns: readonly string[], origin: string | undefined | null): boolean {
  if (!origin) return false;
  return patterns.some((pattern) => originMatches(pattern, origin));
}
