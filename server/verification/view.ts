import type { PublicSession } from '../protocol.js';
import type { Session, SessionStatus } from './session.js';
import { TERMINAL_STATUSES } from './session.js';

export type { PublicSession };

/** Expiry is a matter of time, not of a write, so every read decides it against the clock. */
export function effectiveStatus(session: Session, now: number): SessionStatus {
  if (TERMINAL_STATUSES.has(session.status)) return session.status;
  return now >= session.expiresAt ? 'expired' : session.status;
}

export function publicView(session: Session, now: number): PublicSession {
  return {
    id: session.id,
    status: effectiveStatus(session, now),
    // A number the site chose stays masked: whoever is at the keyboard may not be its owner.
    phone: session.phoneMasked ?? session.phone,
    codeLength: session.codeLength,
    callerIdPrefix: session.callerIdPrefix,
    expiresAt: new Date(session.expiresAt).toISOString(),
    resendAt: new Date(session.resendAt).toISOString(),
    attemptsLeft: session.attemptsLeft,
  };
}
