/**
 * What the page may read of a challenge: the masked number, which travels in clear in front of the sealed
 * part (`server/verification/challenge.ts`), so the element says which number it will call before any request.
 * The server alone can open the rest; what it finds there decides.
 */
export function maskedNumber(challenge: string): string | undefined {
  const match = /^fcvc_([A-Za-z0-9_-]+)\./.exec(challenge);
  if (!match) return undefined;
  try {
    const base64 = match[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const header = JSON.parse(new TextDecoder().decode(bytes)) as { m?: unknown };
    return typeof header.m === 'string' && /^\+[0-9 •-]+$/.test(header.m) ? header.m : undefined;
  } catch {
    return undefined;
  }
}
