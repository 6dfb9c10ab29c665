import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../random.js';

/** Keyed hash of the parts, so a leaked store reveals neither codes nor tokens. */
export function keyedHash(key: Uint8Array, ...parts: string[]): string {
  return createHmac('sha256', key)
    .update(`${parts.join('\u0000')}\u0000`)
    .digest('base64url');
}

/**
 * Compares two digests of one kind, such as `keyedHash` outputs, whose length is public: in time that
 * does not depend on where they differ, without the hashing `constantTimeEqual` needs for secrets.
 */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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
