/**
 * Whether a page origin matches a site's configured pattern. `*` stands for any port
 * (`http://localhost:*`) or for one leading subdomain label (`https://*.example.com`).
 */
export function originMatches(pattern: string, origin: string): boolean {
  if (pattern === origin) return true;
  if (!pattern.includes('*')) return false;
  return compiled(pattern)?.test(origin) ?? false;
}

/** Patterns come from configuration, so each is compiled once, not on every request. */
const COMPILED = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  let regex = COMPILED.get(pattern);
  if (regex !== undefined) return regex;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('*')
    .replace(/:\*$/, ':\\d{1,5}')
    .replace(/\/\/\*\./, '//[a-z0-9-]+\\.');
  regex = source.includes('*') ? null : new RegExp(`^${source}$`, 'i');
  COMPILED.set(pattern, regex);
  return regex;
}

export function originAllowed(patterns: readonly string[], origin: string | undefined | null): boolean {
  if (!origin) return false;
  return patterns.some((pattern) => originMatches(pattern, origin));
}
