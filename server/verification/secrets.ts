import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../random.js';

/** Keyed hash of the parts, so a leaked store reveals neither codes nor tokens. */
export function keyedHash(key: Uint8Array, ...parts: string[]): string {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part).update('\u0000');
  return hmac.digest('base64url');
}

/** Compares two strings in time that depends only on their lengths, not on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  // Hashing first makes the inputs equal length, so lengths leak nothing either.
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** 160 random bits: well past guessing, short enough for a form field. */
export function newVerificationToken(random: Random): string {
  return `fcvt_${Buffer.from(random.bytes(20)).toString('base64url')}`;
}
