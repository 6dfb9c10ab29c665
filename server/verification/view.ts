import type { Channel } from '../config.js';
import type { PublicSession } from '../protocol.js';
import type { Session, SessionStatus } from './session.js';
import { TERMINAL_STATUSES } from './session.js';

export type { PublicSession };

/** Expiry is a matter of time, not of a write, so every read decides it against the clock. */
export function effectiveStatus(session: Session, now: number): SessionStatus {
  if (TERMINAL_STATUSES.has(session.status)) return session.status;
  return now >= session.expiresAt ? 'expired' : session.status;
}

/** `channels` are the site's, which the element offers as fallbacks. */
export function publicView(session: Session, now: number, channels: readonly Channel[]): PublicSession {
  const channel = session.channel ?? 'flash';
  return {
    id: session.id,
    status: effectiveStatus(session, now),
    // A number the site chose stays masked: whoever is at the keyboard may not be its owner.
    phone: session.phoneMasked ?? session.phone,
    channel,
    channels: [...channels],
    codeLength: session.codeLength,
    // Only a flash call's caller ID carries the code; a voice call's is fixed, and a text has none.
    ...(channel === 'flash' ? { callerIdPrefix: session.callerIdPrefix } : {}),
    expiresAt: new Date(session.expiresAt).toISOString(),
    resendAt: new Date(session.resendAt).toISOString(),
    attemptsLeft: session.attemptsLeft,
  };
}
