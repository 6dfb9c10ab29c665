import { createCipheriv, createDecipheriv } from 'node:crypto';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { Random } from '../random.js';
import { randomId } from '../random.js';
import { keyedHash } from './secrets.js';

/**
 * A challenge is a sealed, self-contained token rather than a store record: its fields are encrypted and
 * authenticated with AES-256-GCM under a key derived from FCV_SECRET, so only this server can read or make one.
 * Why sealed rather than stored: creating one writes nothing, so a site's backend (or whoever stole its
 * secret) cannot fill the store by creating challenges; every instance that shares FCV_SECRET, which hook
 * tokens and code hashes already require, opens it with no round trip, so challenge mode holds across
 * instances on Redis as on one; and it expires by its own clock. The one fact a token cannot carry is that
 * it was used: that is a store value under its id (`putIfAbsent`), written when it verifies and kept only
 * for the challenge's lifetime.
 *
 * Sealed rather than only signed, so the page never reads the full number the site chose to mask. The
 * masked number and the expiry travel in clear in front, bound into the seal as associated data, so the
 * element can say which number it will call without asking the server.
 */

export interface ChallengeClaims {
  /** Random, names the challenge in the store's spent mark. */
  id: string;
  siteKey: string;
  /** E.164. */
  phone: string;
  action: string;
  context?: string;
  lang?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** What the element reads from the clear part of a challenge. */
export interface ChallengeHeader {
  /** The number, masked: `+44 •••• ••3456`. */
  m: string;
  /** Expiry, epoch ms. */
  e: number;
}

export const CHALLENGE_TTL_MS = 10 * 60 * 1000;
const PREFIX = 'fcvc_';
/** Long enough for every field at its largest, short enough to refuse junk before any crypto. */
export const CHALLENGE_MAX_LENGTH = 2048;
export const CHALLENGE_PATTERN = /^fcvc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function sealKey(secret: Uint8Array): Buffer {
  return Buffer.from(keyedHash(secret, 'challenge-seal'), 'base64url');
}

/**
 * The number with only its country code and last four digits showing, grouped as written internationally:
 * `+44 7418 303456` becomes `+44 •••• ••3456`.
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberWithError(e164);
  const international = parsed.formatInternational();
  const country = `+${parsed.countryCallingCode}`;
  const rest = international.slice(country.length);
  const digits = rest.replace(/\D/g, '').length;
  let seen = 0;
  const masked = rest.replace(/\d/g, (digit) => (++seen > digits - 4 ? digit : '•'));
  return country + masked;
}

export function sealChallenge(secret: Uint8Array, random: Random, claims: Omit<ChallengeClaims, 'id'>): string {
  const full: ChallengeClaims = { id: randomId(random), ...claims };
  const header = Buffer.from(JSON.stringify({ m: maskPhone(claims.phone), e: claims.expiresAt } satisfies ChallengeHeader)).toString(
    'base64url',
  );
  const iv = random.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  cipher.setAAD(Buffer.from(header));
  const body = Buffer.concat([cipher.update(JSON.stringify(full), 'utf8'), cipher.final()]);
  const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  return `${PREFIX}${header}.${sealed}`;
}

/** The claims of a challenge this server sealed, or null for anything else: malformed, tampered, or another key's. */
export function openChallenge(secret: Uint8Array, challenge: string): ChallengeClaims | null {
  if (challenge.length > CHALLENGE_MAX_LENGTH || !CHALLENGE_PATTERN.test(challenge)) return null;
  const [header, sealed] = challenge.slice(PREFIX.length).split('.') as [string, string];
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < 12 + 16 + 1) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(header));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const text = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as ChallengeClaims;
  } catch {
    return null;
  }
}

/** The store key that marks a challenge spent. */
export function spentKey(challengeId: string): string {
  return `challenge-spent:${challengeId}`;
}
