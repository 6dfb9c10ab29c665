/**
 * Whether a page origin matches a site's configured pattern. `*` stands for any port
 * (`http://localhost:*`) or for one leading subdomain label (`https://*.example.com`).
 */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true;
  if (!pattern.includes('*')) return false;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('*')
    .replace(/:\*$/, ':\\d{1,5}')
    .replace(/\/\/\*\./, '//[a-z0-9-]+\\.');
  if (source.includes('*')) return false;
  return new RegExp(`^${source}$`, 'i').test(origin);
}

export function originAllowed(patterns: readonly string[], origin: string | undefined | null): boolean {
  if (!origin) return false;
  return patterns.some((pattern) => originMatches(pattern, origin));
}
